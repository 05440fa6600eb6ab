import assert from 'node:assert/strict'
import { test } from 'node:test'
import { failure, startOrder, testClock } from './helpers.js'

// The cancel step has a timeout too: a cancel the engine never answers (its request or its
// answer dead-lettered) is asked again by the sweeper, so no order keeps a cancel in flight,
// and its money held, for ever.

test('when the engine does not answer a cancel within the timeout, then the sweeper asks again, once per timeout, until it answers', async (t) => {
  const clock = testClock()
  const h = await startOrder(t, { now: clock.now, reservationTimeoutMs: 30_000 })
  const order = await h.confirmedOrder({ size: 10, price: 700 })
  await h.call('CancelOrder', { id: order.id })
  const first = await h.next('OrderCancelRequested', order.id)

  clock.advance(20_000)
  assert.equal(await h.svc.sweepReservations(), 0, 'not due yet')
  clock.advance(10_001)
  assert.equal(await h.svc.sweepReservations(), 1)

  const asked = await h.emitted('OrderCancelRequested', order.id)
  assert.equal(asked.length, 2)
  const again = asked.find((e) => e.id !== first.id)!
  assert.deepEqual(
    { ...again.data, requestedAt: undefined },
    { ...first.data, requestedAt: undefined },
    'the same request, sent anew (a new event id, so the engine reads it)',
  )
  const got = await h.call('GetOrder', { id: order.id })
  assert.equal(got.status, 'CONFIRMED')
  assert.deepEqual([got.history.at(-1)?.status, got.history.at(-1)?.reason], ['CONFIRMED', 'CANCEL_RESENT'])
  assert.equal((await failure(h.call('CancelOrder', { id: order.id }))).code, 'CONFLICT', 'still one cancel in flight')
  assert.equal(await h.svc.sweepReservations(), 0, 'asked again at most once per timeout')

  await h.send('OrderRemovedFromBook', {
    orderId: order.id,
    customerId: order.customer_id,
    assetName: order.asset_name,
    side: order.side as 'BUY' | 'SELL',
    price: order.price,
    remainingSize: 10,
    removedAt: clock.now().toISOString(),
  })
  const cancelled = await h.next('OrderCancelled', order.id)
  assert.equal(cancelled.data.cancelledSize, 10)
  assert.equal((await h.stored(order.id))?.status, 'CANCELED')
  clock.advance(30_001)
  assert.equal(await h.svc.sweepReservations(), 0, 'an answered cancel is not asked again')
  assert.equal((await h.emitted('OrderCancelRequested', order.id)).length, 2)
})
