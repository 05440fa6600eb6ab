import { randomUUID } from 'node:crypto'
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { EVENT_TYPES, newEnvelope, TOPICS, topicOf, type AnyEnvelope } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { deadLetter, type Batch } from '@brokerage/platform'
import { verifyChain } from '../src/chain.js'
import { createIngester } from '../src/ingest.js'
import { createAppender } from '../src/log.js'
import { startHarness } from './harness.js'

const everyType = (): AnyEnvelope[] => EVENT_TYPES.map((type) => newEnvelope(type, SAMPLE_DATA[type] as never) as AnyEnvelope)

test('when one event of every type is published, then each is stored once with its envelope, data, topic, partition and offset', async (t) => {
  const h = await startHarness(t)
  const events = everyType()
  await h.publish(...events)
  await h.stored(events.length)

  const { rows } = await h.db.query('SELECT * FROM audit_log ORDER BY sequence')
  assert.equal(rows.length, events.length)
  for (const e of events) {
    const row = rows.find((r) => r.event_id === e.id)
    assert.ok(row, `${e.type} stored`)
    assert.equal(row.type, e.type)
    assert.equal(row.topic, topicOf(e.type))
    assert.equal(row.key, e.key)
    assert.equal(row.correlation_id, e.correlationId)
    assert.equal(row.occurred_at.toISOString(), e.occurredAt)
    assert.deepEqual(row.data, JSON.parse(JSON.stringify(e.data)))
    const [record] = await h.bus.read(row.topic, row.partition, Number(row.offset), 1)
    assert.equal((await h.codec.decode(record!.value)).id, e.id, `${e.type} is the record at ${row.topic}/${row.partition}/${row.offset}`)
    assert.ok(row.recorded_at instanceof Date)
  }
  // Batches of many partitions were appended concurrently; the chain still links one row to the next.
  assert.equal((await verifyChain(h.db)).intact, true)
  // A trade names both orders and both customers.
  const trade = rows.find((r) => r.type === 'OrderMatched')!
  const matched = SAMPLE_DATA.OrderMatched
  for (const side of [matched.buy, matched.sell]) {
    if (side) {
      assert.ok(trade.order_ids.includes(side.orderId))
      assert.ok(trade.customer_ids.includes(side.customerId))
    }
  }
})

test('when a record is dead-lettered or cannot be decoded, then it is stored too (its bytes kept)', async (t) => {
  const h = await startHarness(t)
  const event = newEnvelope('DepositRequested', SAMPLE_DATA.DepositRequested)
  await h.publish(event)
  const [original] = await h.records(TOPICS.customer)
  await h.bus.publish([deadLetter(original!, new Error('boom'), 'some-group', 5)])
  await h.bus.publish([{ topic: TOPICS.order, key: 'k', value: Buffer.from('not avro'), headers: { 'event-type': 'OrderCreated' } }])
  await h.stored(3)

  const { rows } = await h.db.query('SELECT topic, event_id, type, data, raw, headers FROM audit_log ORDER BY sequence')
  const dlq = rows.find((r) => r.topic === `${TOPICS.customer}.dlq`)!
  assert.equal(dlq.event_id, event.id)
  assert.equal(dlq.headers['dlq-error'], 'boom')
  const poison = rows.find((r) => r.raw !== null)!
  assert.equal(Buffer.from(poison.raw, 'base64').toString(), 'not avro')
  assert.equal(poison.type, 'OrderCreated')
  assert.equal(poison.data, null)
})

test('when a batch is delivered again (its commit lost), then no record is stored twice', async (t) => {
  const h = await startHarness(t)
  const events = everyType().filter((e) => topicOf(e.type) === TOPICS.order)
  await h.publish(...events)
  await h.stored(events.length)

  const [first] = await h.records(TOPICS.order)
  const messages = await h.bus.read(TOPICS.order, first!.partition, 0, 100)
  const batch: Batch = { topic: TOPICS.order, partition: first!.partition, messages, resolveOffset: () => {} }
  const ingest = createIngester({ db: h.db, codec: h.codec, append: createAppender(), now: () => new Date() })
  await ingest.handleBatch(batch)
  await ingest.handleBatch(batch)
  const { rows } = await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')
  assert.equal(rows[0]!.n, events.length)
})

test('when a fetch brings several partitions at once, then they are stored in one transaction, and a partial redelivery stores only what is new', async (t) => {
  const h = await startHarness(t)
  // A topic the service does not read, so only this ingester stores its records.
  const topic = `audit-test-${randomUUID()}`
  await h.bus.ensureTopic(topic, { partitions: 4 })
  const events = Array.from(
    { length: 24 },
    () => newEnvelope('DepositRequested', { ...SAMPLE_DATA.DepositRequested, movementId: randomUUID() }) as AnyEnvelope,
  )
  await h.bus.publish(await Promise.all(events.map(async (e, i) => ({ topic, key: `k${i}`, value: await h.codec.encode(e) }))))
  const batchesFrom = (take: number) =>
    Promise.all(
      [0, 1, 2, 3].map(async (partition): Promise<Batch> => ({
        topic,
        partition,
        messages: await h.bus.read(topic, partition, 0, take),
        resolveOffset: () => {},
      })),
    )
  const transactions: number[] = []
  const db: typeof h.db = { ...h.db, tx: (fn) => (transactions.push(1), h.db.tx(fn)) }
  const ingest = createIngester({ db, codec: h.codec, append: createAppender(), now: () => new Date() })
  const before = (await h.head()).sequence
  const stored = async () =>
    (await h.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE topic = $1', [topic])).rows[0]!.n

  const firstTwo = await batchesFrom(2)
  assert.equal(firstTwo.filter((b) => b.messages.length).length, 4, 'every partition got records')
  assert.equal(await ingest.handleBatches(firstTwo), true)
  assert.equal(await stored(), 8)
  // Delivered again from offset 0 with what came after: only the new records are stored.
  assert.equal(await ingest.handleBatches(await batchesFrom(100)), true)
  assert.equal(await stored(), events.length)
  assert.equal(transactions.length, 2)
  assert.equal((await h.head()).sequence, before + events.length)
  const { rows } = await h.db.query<{ n: number }>('SELECT count(DISTINCT event_id)::int AS n FROM audit_log WHERE topic = $1', [topic])
  assert.equal(rows[0]!.n, events.length)
  assert.equal((await verifyChain(h.db)).intact, true)
})

test('when the audit group lags, then its lag is in /metrics, and reaches 0 once it has caught up', async (t) => {
  const h = await startHarness(t)
  const events = Array.from({ length: 50 }, () => newEnvelope('DepositRequested', SAMPLE_DATA.DepositRequested))
  await h.publish(...events)
  await h.stored(events.length)
  const res = await fetch(`http://127.0.0.1:${h.svc.runtime.ports.http}/metrics`)
  const text = await res.text()
  const lags = text.split('\n').filter((l) => l.startsWith('consumer_lag{') && l.includes('group="audit"'))
  assert.ok(
    lags.some((l) => l.includes('topic="customer.events"')),
    'lag per partition of customer.events',
  )
  assert.ok(
    lags.every((l) => l.endsWith(' 0')),
    lags.join('\n'),
  )
  assert.match(text, /audit_chain_head\{[^}]*\} 50/)
})
