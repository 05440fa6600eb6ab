import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope } from '@brokerage/contracts'
import { orderCancelled, orderCreated, orderRejected, startHarness } from './harness.js'

// Arrival order is guaranteed only within one topic and key, and a dead letter replayed
// later can come after anything: these are the orders the service must survive.

test('when the same OrderCreated envelope is delivered twice, then it is reserved once', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })

  await h.publish(order, order)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(
    h.answered(order).map((e) => e.type),
    ['AssetReserved'],
  )
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 850_000 })
  assert.equal((await h.journal(order.data.orderId)).length, 1)
  await h.assertConserved()
})

test('when an OrderCreated for the same order comes again under a new event id, then the first answer stands', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })
  await h.send(order, 'AssetReserved')

  const again = newEnvelope('OrderCreated', order.data)
  await h.publish(again)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(h.answered(again), [])
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 850_000 })
  await h.assertConserved()
})

test('when the same OrderCancelled envelope is delivered twice, then it is released once', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })
  await h.send(order, 'AssetReserved')

  const cancel = orderCancelled(order)
  await h.publish(cancel, cancel)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(
    h.answered(cancel).map((e) => e.type),
    ['AssetReleased'],
  )
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  await h.assertConserved()
})

test('when a second OrderCancelled arrives for a cancelled order, then it releases nothing', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })
  await h.send(order, 'AssetReserved')
  await h.send(orderCancelled(order, 6), 'AssetReleased')

  // What is still held (4 units) belongs to fills matched before the cancel.
  const second = orderCancelled(order, 4)
  await h.publish(second)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(h.answered(second), [])
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 940_000 })
  assert.equal((await h.reservation(order.data.orderId))!.held_amount, 60_000)
  await h.assertConserved()
})

test('when a cancel claims more than is held, then only what is held is released', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 100, 'AAPL')
  const order = orderCreated(customerId, { side: 'SELL', size: 5 })
  await h.send(order, 'AssetReserved')

  const released = await h.send(orderCancelled(order, 50), 'AssetReleased')

  assert.equal(released.data.amount, 5)
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 100, usable: 100 })
  await h.assertConserved()
})

test('when OrderRejected follows a full release, then nothing more is released and no event is emitted', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })
  await h.send(order, 'AssetReserved')
  await h.send(orderCancelled(order), 'AssetReleased')

  const reject = orderRejected(order)
  await h.publish(reject)
  await h.settle(customerId, 'order.events')

  assert.deepEqual(h.answered(reject), [])
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  assert.equal((await h.reservation(order.data.orderId))!.released_amount, 150_000)
  await h.assertConserved()
})

test('when OrderCancelled arrives before its OrderCreated, then a tombstone is kept and the late order reserves nothing', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  const order = orderCreated(customerId, { size: 10, price: 15_000 })

  const cancel = orderCancelled(order)
  await h.publish(cancel)
  await h.settle(customerId, 'order.events')
  assert.deepEqual(h.answered(cancel), [], 'nothing was held, so nothing is released')
  assert.deepEqual(await h.reservation(order.data.orderId), {
    outcome: 'AWAITING_ORDER',
    reserved_asset: null,
    reserved_amount: 0,
    held_amount: 0,
    released_amount: 0,
    closed_by: 'CANCELLED',
  })

  const failed = await h.send(order, 'AssetReservationFailed')
  assert.equal(failed.data.reason, 'INVALID_ORDER')
  assert.equal(failed.data.amount, 150_000)
  assert.equal(failed.data.availableAmount, 1_000_000)
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  assert.deepEqual(await h.journal(order.data.orderId), [])
  const r = await h.reservation(order.data.orderId)
  assert.deepEqual([r!.outcome, r!.held_amount, r!.closed_by], ['FAILED', 0, 'CANCELLED'])
  await h.assertConserved()
})

test('when OrderRejected arrives before its OrderCreated, then the late order reserves nothing', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 50, 'AAPL')
  const order = orderCreated(customerId, { side: 'SELL', size: 20 })

  const reject = orderRejected(order, 'CUSTOMER_SUSPENDED')
  await h.publish(reject)
  await h.settle(customerId, 'order.events')
  assert.deepEqual(h.answered(reject), [])

  const failed = await h.send(order, 'AssetReservationFailed')
  assert.deepEqual([failed.data.reason, failed.data.assetName, failed.data.amount], ['INVALID_ORDER', 'AAPL', 20])
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 50, usable: 50 })

  // And a cancel after all that still has nothing to give back.
  const cancel = orderCancelled(order)
  await h.publish(cancel)
  await h.settle(customerId, 'order.events')
  assert.deepEqual(h.answered(cancel), [])
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 50, usable: 50 })
  await h.assertConserved()
})

test('when orders of one customer reserve and release while deposits arrive on the other topic, then every amount adds up', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 100_000)

  // Deposits (customer.events) and orders (order.events) are handled concurrently.
  const orders = Array.from({ length: 6 }, (_, i) => orderCreated(customerId, { size: 1, price: 10_000 + i }))
  const deposits = Array.from({ length: 6 }, () =>
    newEnvelope('DepositRequested', {
      movementId: randomUUID(),
      customerId,
      assetName: 'TRY',
      amount: 1_000,
      requestedAt: new Date().toISOString(),
    }),
  )
  await Promise.all([h.publish(...orders), h.publish(...deposits)])
  for (const o of orders) await h.answersTo(o)
  for (const d of deposits) await h.answersTo(d)
  const cancels = orders.filter((_, i) => i % 2 === 0).map((o) => orderCancelled(o))
  await h.publish(...cancels)
  for (const c of cancels) await h.answersTo(c)

  const stillHeld = orders.filter((_, i) => i % 2 === 1).reduce((s, o) => s + o.data.price, 0)
  assert.deepEqual(await h.balance(customerId), { size: 106_000, usable: 106_000 - stillHeld })
  await h.assertConserved()
})
