import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { connectBus, createEventCodec, createLogger } from '@brokerage/platform'
import { eventually } from '@brokerage/platform/testing'
import { createHub } from './hub.js'
import { startLiveFeed } from './feed.js'

test('when a live feed stops, then its consumer group (named afresh at every start) is deleted from the bus', async () => {
  const bus = await connectBus({ kind: 'memory' })
  const codec = createEventCodec()
  const hub = createHub({ maxBufferedBytes: 1 << 20, closeGraceMs: 1000, counters: { sent() {}, slowConsumerClosed() {} } })
  const feed = await startLiveFeed({ bus, codec, hub, log: createLogger({ service: 'feed-test', level: 'silent' }) })
  const e = newEnvelope('AssetReleased', {
    orderId: randomUUID(),
    customerId: randomUUID(),
    assetName: 'TRY',
    amount: 1500,
    reason: 'ORDER_CANCELLED',
    releasedAt: new Date().toISOString(),
  })
  await bus.publish([{ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) }])
  await eventually(async () => (await bus.lag(feed.groupId, feed.topics)).some((p) => p.committed > 0))

  await feed.stop()
  assert.deepEqual(
    (await bus.lag(feed.groupId, feed.topics)).filter((p) => p.committed > 0),
    [],
  )
  await bus.close()
})
