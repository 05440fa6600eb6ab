import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope, type AnyEnvelope } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { analytics } from '../src/analytics.js'
import { failure } from '@brokerage/platform/testing'
import { startHarness } from './harness.js'

const at = (iso: string) => ({ now: new Date(iso) })

/** One order's steps, each at its own time: created, confirmed, then a fill that leaves nothing or a rejection. */
function saga(created: string, steps: { confirmed?: string; filled?: string; rejected?: string }) {
  const order = { ...SAMPLE_DATA.OrderCreated, orderId: randomUUID(), customerId: randomUUID() }
  const { orderId, customerId } = order
  const events: AnyEnvelope[] = [newEnvelope('OrderCreated', order, at(created)) as AnyEnvelope]
  if (steps.confirmed)
    events.push(newEnvelope('OrderConfirmed', { ...SAMPLE_DATA.OrderConfirmed, orderId, customerId }, at(steps.confirmed)))
  if (steps.filled) {
    const fill = {
      ...SAMPLE_DATA.SettlementCompleted,
      tradeId: randomUUID(),
      orderId,
      customerId,
      size: 10,
      filledSize: 10,
      remainingSize: 0,
    }
    events.push(newEnvelope('SettlementCompleted', fill, at(steps.filled)))
  }
  if (steps.rejected) events.push(newEnvelope('OrderRejected', { ...SAMPLE_DATA.OrderRejected, orderId, customerId }, at(steps.rejected)))
  return events
}

test('when analytics cover a day, then they count the orders created that day with all their steps (also after the day), and no order created before it', async (t) => {
  const h = await startHarness(t)
  const from = '2026-03-02T00:00:00.000Z'
  const to = '2026-03-03T00:00:00.000Z'
  // Created the evening before, filled inside the day: not the day's order (its trade is the day's volume).
  const before = saga('2026-03-01T23:50:00.000Z', { confirmed: '2026-03-01T23:50:01.000Z', filled: '2026-03-02T00:10:00.000Z' })
  // Created in the last minutes of the day, confirmed and filled after it: the day's order, MATCHED.
  const late = saga('2026-03-02T23:50:00.000Z', { confirmed: '2026-03-03T00:00:02.000Z', filled: '2026-03-03T00:05:00.000Z' })
  // Created and rejected inside the day.
  const rejected = saga('2026-03-02T12:00:00.000Z', { rejected: '2026-03-02T12:00:30.000Z' })
  // The late order's fill is stored first (topics are read independently): the order is still followed.
  const [lateFill] = late.splice(-1)
  await h.publish(lateFill!)
  await h.stored(1)
  const events = [...before, ...late, ...rejected]
  await h.publish(...events)
  await h.stored(events.length + 1)

  const a = await analytics(h.db, { from, to })
  assert.deepEqual(a.orderStatuses, [
    { status: 'MATCHED', orders: 1 },
    { status: 'REJECTED', orders: 1 },
  ])
  const saga_ = (name: string) => a.sagas.find((s) => s.name === name)!
  assert.deepEqual(saga_('CREATED_TO_CONFIRMED'), {
    name: 'CREATED_TO_CONFIRMED',
    count: 1,
    p50Ms: 602_000,
    p95Ms: 602_000,
    p99Ms: 602_000,
    maxMs: 602_000,
  })
  assert.equal(saga_('CONFIRMED_TO_FIRST_FILL').p99Ms, 298_000)
  assert.deepEqual(saga_('CREATED_TO_MATCHED'), {
    name: 'CREATED_TO_MATCHED',
    count: 1,
    p50Ms: 900_000,
    p95Ms: 900_000,
    p99Ms: 900_000,
    maxMs: 900_000,
  })
  // Volume and reasons count what happened in the day: the earlier order's fill, not the late one's.
  assert.deepEqual(
    a.volume.map((v) => [v.day, v.trades]),
    [['2026-03-02', 1]],
  )
  assert.deepEqual(
    a.reasons.map((r) => [r.eventType, r.count]),
    [['OrderRejected', 1]],
  )

  // The day before holds the earlier order alone, followed into the next day.
  const dayBefore = await analytics(h.db, { from: '2026-03-01T00:00:00.000Z', to: from })
  assert.deepEqual(dayBefore.orderStatuses, [{ status: 'MATCHED', orders: 1 }])
  assert.equal(dayBefore.sagas.find((s) => s.name === 'CREATED_TO_MATCHED')!.p99Ms, 1_200_000)
})

test('when both sides of a trade settle (and one record is stored twice), then the volume counts the trade once, on the day of its first settlement', async (t) => {
  const h = await startHarness(t)
  const settle = (tradeId: string, assetName: string, side: 'BUY' | 'SELL', size: number, price: number, when: string) =>
    newEnvelope(
      'SettlementCompleted',
      { ...SAMPLE_DATA.SettlementCompleted, tradeId, orderId: randomUUID(), customerId: randomUUID(), assetName, side, size, price },
      at(when),
    ) as AnyEnvelope
  const a1 = randomUUID()
  const a2 = randomUUID()
  const b1 = randomUUID()
  // a1's seller settles just after midnight, its buyer just before: the trade is the earlier day's.
  const a1Sell = settle(a1, 'AAPL', 'SELL', 3, 14_500, '2026-04-02T00:00:01.000Z')
  const events = [
    a1Sell,
    settle(a1, 'AAPL', 'BUY', 3, 14_500, '2026-04-01T23:59:59.000Z'),
    settle(a2, 'AAPL', 'BUY', 7, 14_600, '2026-04-01T10:00:00.000Z'),
    settle(a2, 'AAPL', 'SELL', 7, 14_600, '2026-04-01T10:00:00.000Z'),
    settle(b1, 'MSFT', 'BUY', 2, 41_000, '2026-04-02T09:00:00.000Z'),
  ]
  await h.publish(...events, a1Sell)
  await h.stored(events.length + 1)

  const a = await analytics(h.db, { from: '2026-04-01T00:00:00.000Z', to: '2026-04-03T00:00:00.000Z' })
  assert.deepEqual(a.volume, [
    { assetName: 'AAPL', day: '2026-04-01', size: 10, notional: 3 * 14_500 + 7 * 14_600, trades: 2 },
    { assetName: 'MSFT', day: '2026-04-02', size: 2, notional: 82_000, trades: 1 },
  ])
  const secondDay = await analytics(h.db, { from: '2026-04-02T00:00:00.000Z', to: '2026-04-03T00:00:00.000Z' })
  assert.deepEqual(
    secondDay.volume.map((v) => [v.assetName, v.trades]),
    [['MSFT', 1]],
  )
})

test('when a period names an instant outside years 0001–9999, then VALIDATION_FAILED names the field (year 0 reached PostgreSQL: INTERNAL)', async (t) => {
  const h = await startHarness(t)
  const cases: Array<[{ from?: string; to?: string }, string]> = [
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ to: '0000-12-31T23:59:59Z' }, 'to'],
    [{ to: '9999-12-31T23:00:00-05:00' }, 'to'],
  ]
  for (const [period, field] of cases) {
    for (const call of [
      h.client.call('GetAnalytics', period),
      h.client.call('GetComplianceReport', { ...period, customer_id: randomUUID() }),
    ]) {
      const err = await failure(call)
      assert.equal(err.code, 'VALIDATION_FAILED', JSON.stringify(period))
      assert.deepEqual(
        (err.details as Array<{ field: string }>).map((d) => d.field),
        [field],
      )
    }
  }
  const edge = await h.client.call('GetAnalytics', { from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' })
  assert.ok(Array.isArray(edge.sagas))
})
