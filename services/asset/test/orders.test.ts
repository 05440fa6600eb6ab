import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { orderCancelled, orderCreated, orderRejected, startHarness } from './harness.js'

test('when a BUY is created with enough TRY, then exactly size×price is held and AssetReserved answers', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)

  const order = orderCreated(customerId, { side: 'BUY', assetName: 'AAPL', size: 10, price: 15_000 })
  const reserved = await h.send(order, 'AssetReserved')

  assert.deepEqual(
    { ...reserved.data, reservedAt: undefined },
    { orderId: order.data.orderId, customerId, assetName: 'TRY', amount: 150_000, reservedAt: undefined },
  )
  assert.equal(reserved.key, customerId)
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 850_000 })
  assert.deepEqual(await h.reservation(order.data.orderId), {
    outcome: 'RESERVED',
    reserved_asset: 'TRY',
    reserved_amount: 150_000,
    held_amount: 150_000,
    released_amount: 0,
    closed_by: null,
  })
  const journal = await h.journal(order.data.orderId)
  assert.deepEqual(
    journal.map((j) => [j.asset_name, j.size_delta, j.usable_size_delta, j.cause_event_id, j.cause_event_type]),
    [['TRY', 0, -150_000, order.id, 'OrderCreated']],
  )
  await h.assertConserved()
})

test('when a SELL is created with enough units, then exactly size units are held and AssetReserved answers', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 25, 'AAPL')

  const order = orderCreated(customerId, { side: 'SELL', assetName: 'AAPL', size: 7, price: 99_999 })
  const reserved = await h.send(order, 'AssetReserved')

  assert.equal(reserved.data.assetName, 'AAPL')
  assert.equal(reserved.data.amount, 7)
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 25, usable: 18 })
  assert.equal(await h.balance(customerId, 'TRY'), null, 'a SELL touches no cash')
  assert.equal((await h.reservation(order.data.orderId))!.held_amount, 7)
  await h.assertConserved()
})

test('when a BUY needs exactly the usable TRY, then it is reserved and usable is zero', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 150_000)

  await h.send(orderCreated(customerId, { size: 10, price: 15_000 }), 'AssetReserved')

  assert.deepEqual(await h.balance(customerId), { size: 150_000, usable: 0 })
  await h.assertConserved()
})

test('when funds are short, then AssetReservationFailed gives needed and available amounts and nothing is held', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 149_999)
  await h.fund(customerId, 3, 'AAPL')

  const buy = orderCreated(customerId, { side: 'BUY', size: 10, price: 15_000 })
  const failed = await h.send(buy, 'AssetReservationFailed')
  assert.equal(failed.data.reason, 'INSUFFICIENT_BALANCE')
  assert.equal(failed.data.assetName, 'TRY')
  assert.equal(failed.data.amount, 150_000)
  assert.equal(failed.data.availableAmount, 149_999)

  const sell = orderCreated(customerId, { side: 'SELL', size: 4 })
  const sellFailed = await h.send(sell, 'AssetReservationFailed')
  assert.deepEqual([sellFailed.data.assetName, sellFailed.data.amount, sellFailed.data.availableAmount], ['AAPL', 4, 3])

  assert.deepEqual(await h.balance(customerId), { size: 149_999, usable: 149_999 })
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 3, usable: 3 })
  for (const order of [buy, sell]) {
    assert.deepEqual(await h.journal(order.data.orderId), [], 'no balance changed')
    const r = await h.reservation(order.data.orderId)
    assert.deepEqual([r!.outcome, r!.reserved_amount, r!.held_amount], ['FAILED', 0, 0])
  }
  await h.assertConserved()
})

test('when a customer with no balance row orders, then AssetReservationFailed says 0 available', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()

  const failed = await h.send(orderCreated(customerId, { size: 1, price: 1 }), 'AssetReservationFailed')

  assert.deepEqual([failed.data.reason, failed.data.amount, failed.data.availableAmount], ['INSUFFICIENT_BALANCE', 1, 0])
  assert.equal(await h.balance(customerId), null)
  await h.assertConserved()
})

test('when size×price is not a safe integer, then the order is refused as INVALID_ORDER without touching anything', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  const rich = 9_000_000_000_000_000
  await h.fund(customerId, rich)

  // 2^27 × 2^27 = 2^54: each factor is small, the product is beyond 2^53 − 1.
  const order = orderCreated(customerId, { size: 2 ** 27, price: 2 ** 27 })
  const failed = await h.send(order, 'AssetReservationFailed')

  assert.equal(failed.data.reason, 'INVALID_ORDER')
  assert.equal(failed.data.amount, 0, 'the need is not representable')
  assert.equal(failed.data.availableAmount, rich)
  assert.deepEqual(await h.balance(customerId), { size: rich, usable: rich })
  assert.deepEqual(await h.journal(order.data.orderId), [])
  assert.equal((await h.reservation(order.data.orderId))!.held_amount, 0)
  await h.assertConserved()
})

test('when an order has a size or price that is not positive, then it is refused as INVALID_ORDER', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  await h.fund(customerId, 10, 'AAPL')

  for (const terms of [{ size: -5 }, { price: 0 }, { side: 'SELL' as const, size: 0 }, { assetName: 'TRY' }]) {
    const failed = await h.send(orderCreated(customerId, terms), 'AssetReservationFailed')
    assert.equal(failed.data.reason, 'INVALID_ORDER', JSON.stringify(terms))
  }
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 10, usable: 10 })
  await h.assertConserved()
})

test('when a reserved BUY is cancelled whole, then usable is restored exactly and AssetReleased answers', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 7, price: 12_345 })
  await h.send(order, 'AssetReserved')

  const cancel = orderCancelled(order)
  const released = await h.send(cancel, 'AssetReleased')

  assert.deepEqual(
    { ...released.data, releasedAt: undefined },
    { orderId: order.data.orderId, customerId, assetName: 'TRY', amount: 86_415, reason: 'ORDER_CANCELLED', releasedAt: undefined },
  )
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  const r = await h.reservation(order.data.orderId)
  assert.deepEqual([r!.held_amount, r!.released_amount, r!.closed_by], [0, 86_415, 'CANCELLED'])
  assert.deepEqual(
    (await h.journal(order.data.orderId)).map((j) => [j.usable_size_delta, j.cause_event_type]),
    [
      [-86_415, 'OrderCreated'],
      [86_415, 'OrderCancelled'],
    ],
  )
  await h.assertConserved()
})

test('when a reserved SELL is cancelled, then the units come back to usable', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 9, 'AAPL')
  const order = orderCreated(customerId, { side: 'SELL', size: 9 })
  await h.send(order, 'AssetReserved')
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 9, usable: 0 })

  const released = await h.send(orderCancelled(order), 'AssetReleased')

  assert.deepEqual([released.data.assetName, released.data.amount], ['AAPL', 9])
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 9, usable: 9 })
  await h.assertConserved()
})

test('when a cancel covers part of the order, then only cancelledSize×price is released and the rest stays held', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })
  await h.send(order, 'AssetReserved')

  // 4 units matched before the cancel are still settling: the engine cancelled the 6 left.
  const released = await h.send(orderCancelled(order, 6), 'AssetReleased')

  assert.equal(released.data.amount, 90_000)
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 940_000 })
  const r = await h.reservation(order.data.orderId)
  assert.deepEqual([r!.held_amount, r!.released_amount, r!.closed_by], [60_000, 90_000, 'CANCELLED'])
  await h.assertConserved()
})

test('when a late reservation lands after the order was rejected, then OrderRejected releases it all', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 500_000)
  const order = orderCreated(customerId, { size: 3, price: 50_000 })
  await h.send(order, 'AssetReserved')

  // The order service timed out waiting and rejected the order before AssetReserved reached it.
  const released = await h.send(orderRejected(order, 'RESERVATION_TIMEOUT'), 'AssetReleased')

  assert.deepEqual([released.data.amount, released.data.reason, released.data.assetName], [150_000, 'ORDER_REJECTED', 'TRY'])
  assert.deepEqual(await h.balance(customerId), { size: 500_000, usable: 500_000 })
  const r = await h.reservation(order.data.orderId)
  assert.deepEqual([r!.held_amount, r!.closed_by], [0, 'REJECTED'])
  await h.assertConserved()
})

test('when an order whose reservation failed is rejected, then nothing is released and no event is emitted', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  const order = orderCreated(customerId, { size: 3, price: 50_000 })
  await h.send(order, 'AssetReservationFailed')

  const reject = orderRejected(order, 'INSUFFICIENT_BALANCE')
  await h.publish(reject)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(h.answered(reject), [])
  assert.equal((await h.reservation(order.data.orderId))!.closed_by, 'REJECTED')
  await h.assertConserved()
})
