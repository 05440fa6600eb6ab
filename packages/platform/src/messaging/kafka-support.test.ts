import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compatibilityPartitioner, defaultPartitioner, murmur2 as clientMurmur2 } from '@platformatic/kafka'
import { murmur2, partitionFor } from './partitioner.js'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  parseKafkaConfig,
  partitionLags,
  toMessages,
  toOffset,
  type RawBatch,
} from './kafka-support.js'

const keys = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? `customer-${i}` : i % 3 === 1 ? `ASSET${i}` : `ключ-${i}-é`))

test("when the client's murmur2 and ours hash the same keys, then they agree, and its compatibility partitioner picks our partition", () => {
  for (const key of keys) {
    const bytes = Buffer.from(key, 'utf8')
    assert.equal(clientMurmur2(bytes), murmur2(bytes), key)
    for (const n of [1, 3, 8, 12]) assert.equal(compatibilityPartitioner({ topic: 't' }, bytes) % n, partitionFor(key, n), `${key} / ${n}`)
  }
})

test("when a key's hash is negative and the partition count is not a power of two, then the client's default partitioner departs from Kafka's, which is why the adapter names every record's partition", () => {
  const differs = keys.filter((key) => {
    const bytes = Buffer.from(key, 'utf8')
    return defaultPartitioner({ topic: 't' }, bytes) % 3 !== partitionFor(key, 3)
  })
  assert.ok(differs.length > 0)
})

test('when KAFKA_BROKERS lists brokers, then they are parsed with the defaults; a bad entry or setting is refused by name', () => {
  const cfg = parseKafkaConfig({ KAFKA_BROKERS: ' kafka-1:9092, [::1]:19092 ,localhost:9093' })
  assert.deepEqual(cfg.brokers, ['kafka-1:9092', '[::1]:19092', 'localhost:9093'])
  assert.equal(cfg.clientId, 'brokerage')
  assert.equal(cfg.sessionTimeoutMs, 10_000)
  assert.equal(cfg.heartbeatIntervalMs, 3333)
  assert.equal(cfg.replicationFactor, -1)
  assert.throws(() => parseKafkaConfig({}), /KAFKA_BROKERS/)
  assert.throws(() => parseKafkaConfig({ KAFKA_BROKERS: 'kafka-1' }), /'kafka-1' is not host:port/)
  assert.throws(() => parseKafkaConfig({ KAFKA_BROKERS: 'kafka-1:99999' }), /not host:port/)
  assert.throws(() => parseKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_SESSION_TIMEOUT_MS: 'soon' }), /KAFKA_SESSION_TIMEOUT_MS/)
  assert.throws(
    () => parseKafkaConfig({ KAFKA_BROKERS: 'k:1', KAFKA_SESSION_TIMEOUT_MS: '30000', KAFKA_REBALANCE_TIMEOUT_MS: '1000' }),
    /KAFKA_REBALANCE_TIMEOUT_MS must be an integer of at least 30000/,
  )
})

const record = (offsetDelta: number, value: string, headers: Array<[Buffer | null, Buffer | null]> = []) => ({
  offsetDelta,
  timestampDelta: BigInt(offsetDelta),
  key: Buffer.from('k'),
  value: Buffer.from(value),
  headers,
})

test('when a fetch answers with whole batches, then messages start at the asked offset, skip control batches and stop at the limit', () => {
  const batches: RawBatch[] = [
    { firstOffset: 10n, firstTimestamp: 1_700_000_000_000n, attributes: 0, records: [record(0, 'a'), record(1, 'b'), record(2, 'c')] },
    { firstOffset: 13n, firstTimestamp: 1_700_000_000_000n, attributes: 1 << 5, records: [record(0, 'marker')] },
    {
      firstOffset: 14n,
      firstTimestamp: 1_700_000_000_000n,
      attributes: 0,
      records: [record(0, 'd', [[Buffer.from('h'), Buffer.from('v')]]), record(1, 'e')],
    },
  ]
  const got = toMessages('t', 3, batches, 11, 3)
  assert.deepEqual(
    got.map((m) => [m.offset, m.value.toString()]),
    [
      [11, 'b'],
      [12, 'c'],
      [14, 'd'],
    ],
  )
  assert.deepEqual(got[2]!.headers, { h: 'v' })
  assert.equal(got[0]!.timestamp.getTime(), 1_700_000_000_001)
  assert.equal(got[0]!.partition, 3)
  assert.deepEqual(toMessages('t', 3, batches, 100, 10), [])
  assert.throws(() => toOffset(2n ** 60n), /2\^53/)
})

test('when a group committed some partitions, then lag counts the others from zero and never goes negative', () => {
  const lags = partitionLags(
    ['a', 'b'],
    new Map([
      ['a', [5, 0, 7]],
      ['b', [3]],
    ]),
    new Map([
      [
        'a',
        new Map([
          [0, 5],
          [2, 2],
        ]),
      ],
      ['b', new Map([[0, 4]])],
    ]),
  )
  assert.deepEqual(
    lags.map((l) => [l.topic, l.partition, l.endOffset, l.committed, l.lag]),
    [
      ['a', 0, 5, 5, 0],
      ['a', 1, 0, 0, 0],
      ['a', 2, 7, 2, 5],
      ['b', 0, 3, 4, 0],
    ],
  )
})

test('when an assignment is encoded, then the protocol bytes round-trip', () => {
  const tps = [
    { topic: 'orders', partition: 0 },
    { topic: 'orders', partition: 5 },
    { topic: 'assets', partition: 2 },
  ]
  assert.deepEqual(decodeAssignment(encodeAssignment(tps)), tps)
  assert.deepEqual(decodeAssignment(encodeAssignment([])), [])
  assert.deepEqual(decodeAssignment(Buffer.alloc(0)), [])
  assert.deepEqual(decodeSubscription(encodeSubscription(['orders', 'assets'])), ['orders', 'assets'])
})
