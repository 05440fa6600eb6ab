import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { connectBus, createEventCodec, createLogger, type MessageBus } from '@brokerage/platform'
import { eventually } from '@brokerage/platform/testing'
import { createHub } from './hub.js'
import { createLiveFeedReader } from './feed.js'

const codec = createEventCodec()
const log = createLogger({ service: 'feed-test', level: 'silent' })
const hubOf = () => createHub({ maxBufferedBytes: 1 << 20, closeGraceMs: 1000, counters: { sent() {}, slowConsumerClosed() {} } })

async function publishReleased(bus: MessageBus) {
  const e = newEnvelope('AssetReleased', {
    orderId: randomUUID(),
    customerId: randomUUID(),
    assetName: 'TRY',
    amount: 1500,
    reason: 'ORDER_CANCELLED',
    releasedAt: new Date().toISOString(),
  })
  await bus.publish([{ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) }])
}

test('when the last holder of a live feed lets go and the linger passes, then its consumer group (named afresh at every start) is deleted from the bus', async () => {
  const bus = await connectBus({ kind: 'memory' })
  const feed = createLiveFeedReader({ bus, codec, hub: hubOf(), log, lingerMs: 10 })
  assert.equal(feed.groupId(), undefined, 'no consumer before anyone holds the feed')
  const release = await feed.hold()
  const groupId = feed.groupId()!
  await publishReleased(bus)
  await eventually(async () => (await bus.lag(groupId, feed.topics)).some((p) => p.committed > 0))

  release()
  release() // letting go twice counts once
  await eventually(() => feed.groupId() === undefined, { what: 'the consumer to stop' })
  await eventually(async () => (await bus.lag(groupId, feed.topics)).every((p) => p.committed === 0), { what: 'the group to be deleted' })
  await feed.stop()
  await bus.close()
})

test('when two holders come at once, then they share one start, and one holding during the linger keeps that consumer', async () => {
  const bus = await connectBus({ kind: 'memory' })
  let starts = 0
  const counted: MessageBus = { ...bus, consume: (o) => (starts++, bus.consume(o)) }
  const feed = createLiveFeedReader({ bus: counted, codec, hub: hubOf(), log, lingerMs: 60_000 })
  const [a, b] = await Promise.all([feed.hold(), feed.hold()])
  assert.equal(starts, 1)
  const groupId = feed.groupId()
  a()
  b()
  // Within the (long) linger: the running consumer is reused.
  const c = await feed.hold()
  assert.equal(starts, 1)
  assert.equal(feed.groupId(), groupId)
  c()
  await feed.stop()
  assert.equal(feed.groupId(), undefined)
  await bus.close()
})

test('when the consumer cannot start, then hold() rejects, and the next hold() starts afresh', async () => {
  const bus = await connectBus({ kind: 'memory' })
  let fail = true
  const flaky: MessageBus = {
    ...bus,
    consume: (o) => (fail ? Promise.reject(new Error('the bus is away')) : bus.consume(o)),
  }
  const feed = createLiveFeedReader({ bus: flaky, codec, hub: hubOf(), log, lingerMs: 10 })
  await assert.rejects(Promise.all([feed.hold(), feed.hold()]), /the bus is away/)
  assert.equal(feed.groupId(), undefined)
  fail = false
  const release = await feed.hold()
  assert.match(feed.groupId()!, /^gateway-live-/)
  release()
  await eventually(() => feed.groupId() === undefined, { what: 'the consumer to stop' })
  await feed.stop()
  await bus.close()
})
