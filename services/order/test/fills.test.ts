import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { Order__Output } from '@brokerage/contracts/grpc'
import { failure, startOrder } from './helpers.js'

// The end of the trade loop in the order service: SettlementCompleted and OrderFailed.

const settlement = (order: Order__Output, size: number, filledSize: number, price = order.price) => ({
  tradeId: randomUUID(),
  orderId: order.id,
  customerId: order.customer_id,
  assetName: order.asset_name,
  side: order.side as 'BUY' | 'SELL',
  size,
  price,
  filledSize,
  remainingSize: order.size - filledSize,
  settledAt: new Date().toISOString(),
})

const admin = { subject: 'admin', role: 'ADMIN' as const, request_id: '' }

test('when fills settle, then the order is PARTIALLY_FILLED then MATCHED, its trades are served, and a repeat changes nothing', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder({ size: 10, price: 25_000 })

  const first = settlement(order, 4, 4, 24_000)
  await h.send('SettlementCompleted', first)
  let o = await h.call('GetOrder', { id: order.id })
  assert.deepEqual([o.status, o.filled_size], ['PARTIALLY_FILLED', 4])
  await h.send('SettlementCompleted', first)
  assert.equal((await h.call('GetOrder', { id: order.id })).filled_size, 4, 'a repeated SettlementCompleted counts once')

  await h.send('SettlementCompleted', settlement(order, 6, 10))
  o = await h.call('GetOrder', { id: order.id })
  assert.deepEqual([o.status, o.filled_size], ['MATCHED', 10])
  assert.equal(o.history.at(-1)!.event_type, 'SettlementCompleted')
  const { trades } = await h.call('ListTrades', { order_id: order.id })
  assert.deepEqual(trades.map((x) => [x.size, x.price]).sort(), [
    [4, 24_000],
    [6, 25_000],
  ])

  assert.equal((await failure(h.call('CancelOrder', { actor: admin, id: order.id }))).code, 'CONFLICT')
  assert.equal((await failure(h.call('MatchOrder', { actor: admin, id: order.id }))).code, 'CONFLICT')
})

test('when a settlement fails, then the booked order is FAILED with the reason; a fill that settles after a cancel is kept, CANCELED stays', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder({ size: 10 })
  await h.send('OrderFailed', {
    orderId: order.id,
    customerId: order.customer_id,
    assetName: order.asset_name,
    side: 'BUY',
    tradeId: randomUUID(),
    filledSize: 0,
    reason: 'SETTLEMENT_TIMEOUT',
    failedAt: new Date().toISOString(),
  })
  const failed = await h.call('GetOrder', { id: order.id })
  assert.deepEqual([failed.status, failed.rejection_reason], ['FAILED', 'SETTLEMENT_TIMEOUT'])

  const other = await h.confirmedOrder({ size: 10 })
  await h.call('CancelOrder', { actor: admin, id: other.id })
  await h.send('OrderRemovedFromBook', {
    orderId: other.id,
    customerId: other.customer_id,
    assetName: other.asset_name,
    side: 'BUY',
    price: other.price,
    remainingSize: 7,
    removedAt: new Date().toISOString(),
  })
  await h.send('SettlementCompleted', settlement(other, 3, 3))
  const o = await h.call('GetOrder', { id: other.id })
  assert.deepEqual([o.status, o.filled_size], ['CANCELED', 3])
  assert.equal((await h.call('ListTrades', { order_id: other.id })).trades.length, 1)
})
