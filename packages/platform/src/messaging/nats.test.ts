import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createNatsBus, type NatsBus } from './nats.js'
import { streamOf } from './nats-group.js'
import { requireNatsServer, startNatsServers, type NatsServers } from './nats-server.js'
import type { OutgoingRecord } from './port.js'

// Records as the outbox publishes them: with an event id, so each carries a Nats-Msg-Id.
const event = (topic: string, key: string, value: string | Buffer): OutgoingRecord => ({
  topic,
  key,
  value: Buffer.isBuffer(value) ? value : Buffer.from(value),
  headers: { 'event-id': randomUUID() },
})

const values = async (bus: NatsBus, topic: string) => (await bus.read(topic, 0, 0, 1000)).map((m) => m.value.toString())

if (requireNatsServer('the NATS adapter tests', process.env.CI === 'true')) {
  let servers: Promise<NatsServers> | undefined
  after(async () => (await servers)?.stop())
  const open = async (t: { after(fn: () => Promise<void>): void }) => {
    servers ??= startNatsServers()
    const bus = await createNatsBus({ servers: (await servers).url })
    t.after(() => bus.close())
    const topic = `t-${randomUUID()}`
    await bus.ensureTopic(topic, { partitions: 1 })
    return { bus, topic }
  }

  test('when a record in the middle of a partition is refused, then the records sent after it without waiting are not stored ahead of it', async (t) => {
    const { bus, topic } = await open(t)
    // A stream that refuses large messages stands in for a record lost in a leader change.
    const stream = streamOf({ topic, partition: 0 })
    const info = await bus.jsm.streams.info(stream)
    await bus.jsm.streams.update(stream, { ...info.config, max_msg_size: 4096 })
    await assert.rejects(
      bus.publish([event(topic, 'k', 'a'), event(topic, 'k', Buffer.alloc(8192, 'b')), event(topic, 'k', 'c'), event(topic, 'k', 'd')]),
      /maximum/i,
    )
    assert.deepEqual(await values(bus, topic), ['a'])
  })

  test('when a batch repeats records already stored, then the copies are dropped and the new records follow in order', async (t) => {
    const { bus, topic } = await open(t)
    const [a, b, x, c, d] = ['a', 'b', 'x', 'c', 'd'].map((v) => event(topic, 'k', v))
    await bus.publish([a!, b!])
    await bus.publish([x!])
    // b is a copy of a stored record that is no longer the last: c, conditioned on b, is refused and sent again.
    await bus.publish([a!, b!, c!, d!])
    assert.deepEqual(await values(bus, topic), ['a', 'b', 'x', 'c', 'd'])
  })

  test('when many records of a partition are published at once, then they are stored once each, in publish order', async (t) => {
    const { bus, topic } = await open(t)
    const sent = Array.from({ length: 600 }, (_, i) => String(i))
    await bus.publish(sent.map((v) => event(topic, 'k', v)))
    assert.deepEqual(await values(bus, topic), sent)
  })
}
