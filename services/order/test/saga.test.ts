import assert from 'node:assert/strict'
import { test } from 'node:test'
import { newEnvelope } from '@brokerage/contracts'
import { startOrder, testClock } from './helpers.js'

test('when AssetReserved arrives for a PENDING order, then it is CONFIRMED and OrderConfirmed goes to the engine', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer({ tier: 'PREMIUM' })
  const order = await h.createOrder({ customer_id: customerId, size: 5, price: 2_000 })

  const reserved = await h.reserve(order)

  const confirmed = await h.next('OrderConfirmed', order.id)
  assert.equal(confirmed.key, 'THYAO', 'engine commands are keyed by asset')
  assert.equal(confirmed.causationId, reserved.id)
  assert.equal(confirmed.correlationId, reserved.correlationId)
  assert.deepEqual(
    { size: confirmed.data.size, price: confirmed.data.price, tier: confirmed.data.tier, side: confirmed.data.side },
    { size: 5, price: 2_000, tier: 'PREMIUM', side: 'BUY' },
  )
  const got = await h.call('GetOrder', { id: order.id })
  assert.equal(got.status, 'CONFIRMED')
  assert.deepEqual(
    got.history.map((x) => [x.status, x.event_id, x.event_type]),
    [
      ['PENDING', '', ''],
      ['CONFIRMED', reserved.id, 'AssetReserved'],
    ],
  )
})

test('when AssetReservationFailed arrives, then the order is REJECTED with its reason and OrderRejected is emitted', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const poor = await h.createOrder({ customer_id: customerId })
  const odd = await h.createOrder({ customer_id: customerId, side: 'SELL' })

  const failed = await h.send('AssetReservationFailed', {
    orderId: poor.id,
    customerId,
    assetName: 'TRY',
    amount: poor.size * poor.price,
    availableAmount: 5,
    reason: 'INSUFFICIENT_BALANCE',
    failedAt: new Date().toISOString(),
  })
  await h.send('AssetReservationFailed', {
    orderId: odd.id,
    customerId,
    assetName: 'THYAO',
    amount: odd.size,
    availableAmount: 0,
    reason: 'INVALID_ORDER',
    failedAt: new Date().toISOString(),
  })

  const rejected = await h.next('OrderRejected', poor.id)
  assert.equal(rejected.data.reason, 'INSUFFICIENT_BALANCE')
  assert.equal(rejected.causationId, failed.id)
  assert.equal((await h.next('OrderRejected', odd.id)).data.reason, 'INVALID_ORDER')
  const got = await h.call('GetOrder', { id: poor.id })
  assert.equal(got.status, 'REJECTED')
  assert.equal(got.rejection_reason, 'INSUFFICIENT_BALANCE')
  assert.deepEqual(got.history.at(-1), {
    status: 'REJECTED',
    at: got.updated_at,
    event_id: failed.id,
    event_type: 'AssetReservationFailed',
    reason: 'INSUFFICIENT_BALANCE',
  })
  assert.equal((await h.call('GetOrder', { id: odd.id })).rejection_reason, 'INVALID_ORDER')
  assert.deepEqual(await h.emitted('OrderConfirmed'), [])
})

test('when the same event is delivered twice, then its effect and its events happen once', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const order = await h.createOrder({ customer_id: customerId })
  const reserved = newEnvelope('AssetReserved', {
    orderId: order.id,
    customerId,
    assetName: 'TRY',
    amount: order.size * order.price,
    reservedAt: new Date().toISOString(),
  })

  await h.deliver(reserved)
  await h.deliver(reserved)

  assert.equal((await h.emitted('OrderConfirmed', order.id)).length, 1)
  const got = await h.call('GetOrder', { id: order.id })
  assert.deepEqual(
    got.history.map((x) => x.status),
    ['PENDING', 'CONFIRMED'],
  )
})

test('when a reservation never answers, then the sweeper rejects the order (RESERVATION_TIMEOUT) and a late AssetReserved changes nothing', async (t) => {
  const clock = testClock()
  const h = await startOrder(t, { now: clock.now, reservationTimeoutMs: 30_000 })
  const customerId = await h.customer()
  const old = await h.createOrder({ customer_id: customerId })
  clock.advance(20_000)
  const young = await h.createOrder({ customer_id: customerId })

  clock.advance(10_001)
  assert.equal(await h.svc.sweepReservations(), 1)

  const rejected = await h.next('OrderRejected', old.id)
  assert.equal(rejected.data.reason, 'RESERVATION_TIMEOUT')
  const got = await h.call('GetOrder', { id: old.id })
  assert.equal(got.status, 'REJECTED')
  assert.equal(got.rejection_reason, 'RESERVATION_TIMEOUT')
  assert.deepEqual([got.history.at(-1)?.status, got.history.at(-1)?.reason], ['REJECTED', 'RESERVATION_TIMEOUT'])
  assert.equal((await h.stored(young.id))?.status, 'PENDING')

  // The asset service answers after all: it releases on OrderRejected; the order stays rejected.
  await h.reserve(old)
  assert.equal((await h.stored(old.id))?.status, 'REJECTED')
  assert.deepEqual(await h.emitted('OrderConfirmed', old.id), [])
  assert.equal(await h.svc.sweepReservations(), 0, 'nothing else is due yet')
})

test('when several sweeps run at once, then each expired order is rejected exactly once', async (t) => {
  const clock = testClock()
  const h = await startOrder(t, { now: clock.now, reservationTimeoutMs: 1_000 })
  const customerId = await h.customer()
  const orders = []
  for (let i = 0; i < 12; i++) orders.push(await h.createOrder({ customer_id: customerId, size: i + 1 }))
  clock.advance(1_001)

  const counts = await Promise.all([h.svc.sweepReservations(), h.svc.sweepReservations(), h.svc.sweepReservations()])

  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    12,
  )
  const rejected = await h.emitted('OrderRejected')
  assert.equal(rejected.length, 12)
  assert.equal(new Set(rejected.map((e) => e.data.orderId)).size, 12)
  const { rows } = await h.db.query("SELECT count(*)::int AS n FROM order_status_history WHERE reason = 'RESERVATION_TIMEOUT'")
  assert.equal(rows[0]!.n, 12)
})

test('when a customer is suspended, then their pending orders are cancelled and their booked ones go to the engine to be cancelled', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const pending = await h.createOrder({ customer_id: customerId, size: 4 })
  const booked = await h.createOrder({ customer_id: customerId, size: 6 })
  await h.reserve(booked)
  const done = await h.createOrder({ customer_id: customerId })
  await h.call('CancelOrder', { id: done.id })

  const suspended = await h.send('CustomerStatusChanged', {
    customerId,
    previousStatus: 'ACTIVE',
    status: 'SUSPENDED',
    changedAt: new Date().toISOString(),
  })

  const cancelled = await h.next('OrderCancelled', pending.id)
  assert.deepEqual([cancelled.data.reason, cancelled.data.cancelledSize], ['CUSTOMER_SUSPENDED', 4])
  assert.equal(cancelled.causationId, suspended.id)
  const request = await h.next('OrderCancelRequested', booked.id)
  assert.equal(request.data.reason, 'CUSTOMER_SUSPENDED')
  assert.equal((await h.stored(booked.id))?.status, 'CONFIRMED')

  await h.send('OrderRemovedFromBook', {
    orderId: booked.id,
    customerId,
    assetName: 'THYAO',
    side: 'BUY',
    price: booked.price,
    remainingSize: 6,
    removedAt: new Date().toISOString(),
  })
  const second = await h.next('OrderCancelled', booked.id)
  assert.deepEqual([second.data.reason, second.data.cancelledSize], ['CUSTOMER_SUSPENDED', 6])
  assert.equal((await h.emitted('OrderCancelled', done.id)).length, 1, 'an order already cancelled is left alone')
})
