import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { Order__Output } from '@brokerage/contracts/grpc'
import { failure, startOrder } from './helpers.js'

const removed = (order: Order__Output, remainingSize: number) => ({
  orderId: order.id,
  customerId: order.customer_id,
  assetName: order.asset_name,
  side: order.side as 'BUY' | 'SELL',
  price: order.price,
  remainingSize,
  removedAt: new Date().toISOString(),
})

test('when an order is cancelled before its reservation lands, then it is CANCELED with the full size and the late AssetReserved changes nothing', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const order = await h.createOrder({ customer_id: customerId, size: 8, price: 1_250 })
  const requestId = randomUUID()

  const res = await h.call('CancelOrder', { actor: { subject: customerId, role: 'CUSTOMER', request_id: requestId }, id: order.id })

  assert.equal(res.status, 'CANCELED')
  const cancelled = await h.next('OrderCancelled', order.id)
  assert.deepEqual(
    { ...cancelled.data, cancelledAt: undefined },
    {
      orderId: order.id,
      customerId,
      assetName: 'THYAO',
      side: 'BUY',
      price: 1_250,
      cancelledSize: 8,
      reason: 'REQUESTED',
      cancelledAt: undefined,
    },
  )
  assert.equal(cancelled.correlationId, requestId)

  await h.reserve(order)

  assert.equal((await h.stored(order.id))?.status, 'CANCELED')
  assert.deepEqual(await h.emitted('OrderConfirmed'), [])
  const got = await h.call('GetOrder', { id: order.id })
  assert.deepEqual(
    got.history.map((x) => [x.status, x.reason]),
    [
      ['PENDING', ''],
      ['CANCELED', 'REQUESTED'],
    ],
  )
})

test('when a CONFIRMED order is cancelled, then the engine is asked, a second cancel conflicts, and the remainder it took off is cancelled', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder({ size: 10, price: 700 })

  const res = await h.call('CancelOrder', { id: order.id })

  assert.equal(res.status, 'CONFIRMED', 'only the engine knows what is unfilled')
  const request = await h.next('OrderCancelRequested', order.id)
  assert.equal(request.key, 'THYAO')
  assert.equal(request.data.reason, 'REQUESTED')
  const second = await failure(h.call('CancelOrder', { id: order.id }))
  assert.equal(second.code, 'CONFLICT')
  assert.equal((await h.emitted('OrderCancelRequested', order.id)).length, 1)

  // Three units filled before the cancel reached the book: they stay filled.
  const answer = await h.send('OrderRemovedFromBook', removed(order, 7))

  const cancelled = await h.next('OrderCancelled', order.id)
  assert.equal(cancelled.data.cancelledSize, 7)
  assert.equal(cancelled.causationId, answer.id)
  const got = await h.call('GetOrder', { id: order.id })
  assert.equal(got.status, 'CANCELED')
  assert.deepEqual(
    got.history.map((x) => [x.status, x.event_type, x.reason]),
    [
      ['PENDING', '', ''],
      ['CONFIRMED', 'AssetReserved', ''],
      ['CONFIRMED', '', 'CANCEL_REQUESTED'],
      ['CANCELED', 'OrderRemovedFromBook', 'REQUESTED'],
    ],
  )
  assert.equal((await failure(h.call('CancelOrder', { id: order.id }))).code, 'CONFLICT')
})

test('when the engine finds nothing left to take off, then the order keeps its status and may be cancelled again', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder()
  await h.call('CancelOrder', { id: order.id })
  await h.next('OrderCancelRequested', order.id)

  await h.send('OrderRemovedFromBook', removed(order, 0))

  const row = await h.stored(order.id)
  assert.equal(row?.status, 'CONFIRMED')
  assert.equal(row?.cancel_requested_at, null)
  assert.deepEqual(await h.emitted('OrderCancelled'), [])
  assert.equal((await h.call('CancelOrder', { id: order.id })).status, 'CONFIRMED')
  assert.equal((await h.emitted('OrderCancelRequested', order.id)).length, 2)
})

test('when a final or unknown order is cancelled, then CONFLICT or NOT_FOUND, and a bad id is VALIDATION_FAILED', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const order = await h.createOrder({ customer_id: customerId })
  await h.send('AssetReservationFailed', {
    orderId: order.id,
    customerId,
    assetName: 'TRY',
    amount: 1,
    availableAmount: 0,
    reason: 'INSUFFICIENT_BALANCE',
    failedAt: new Date().toISOString(),
  })

  const rejected = await failure(h.call('CancelOrder', { id: order.id }))
  assert.equal(rejected.code, 'CONFLICT')
  assert.deepEqual(rejected.details, { status: 'REJECTED' })
  assert.equal((await failure(h.call('CancelOrder', { id: randomUUID() }))).code, 'NOT_FOUND')
  const bad = await failure(h.call('CancelOrder', { id: 'nope' }))
  assert.equal(bad.code, 'VALIDATION_FAILED')
  assert.deepEqual(bad.details, [{ field: 'id', message: 'must be a UUID' }])
  assert.deepEqual(await h.emitted('OrderCancelled'), [])
})

test('when a broker asks to match a booked order, then MatchRequested goes to the engine; a PENDING order conflicts', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder()
  const broker = randomUUID()

  const res = await h.call('MatchOrder', { actor: { subject: broker, role: 'BROKER', request_id: 'req-1' }, id: order.id })

  assert.equal(res.status, 'CONFIRMED')
  const match = await h.next('MatchRequested', order.id)
  assert.equal(match.data.requestedBy, broker)
  assert.equal(match.correlationId, 'req-1')
  assert.equal(match.key, 'THYAO')
  const got = await h.call('GetOrder', { id: order.id })
  assert.equal(got.history.at(-1)?.reason, 'MATCH_REQUESTED')

  const pending = await h.createOrder({ customer_id: order.customer_id })
  assert.equal((await failure(h.call('MatchOrder', { actor: { subject: broker }, id: pending.id }))).code, 'CONFLICT')
  const noActor = await failure(h.call('MatchOrder', { id: order.id }))
  assert.equal(noActor.code, 'VALIDATION_FAILED')
  assert.deepEqual(noActor.details, [{ field: 'actor.subject', message: 'is required' }])
  assert.equal((await failure(h.call('MatchOrder', { actor: { subject: broker }, id: randomUUID() }))).code, 'NOT_FOUND')
})
