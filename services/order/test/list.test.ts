import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { CreateOrderRequest, ListOrdersRequest, ListOrdersResponse__Output } from '@brokerage/contracts/grpc'
import { failure, startOrder, testClock } from './helpers.js'

test('when orders are listed with filters, then each filter, the date range, paging and newest-first hold', async (t) => {
  const clock = testClock()
  const h = await startOrder(t, { now: clock.now })
  const broker = randomUUID()
  const alice = await h.customer({ brokerId: broker })
  const bob = await h.customer()
  const place = async (at: string, req: CreateOrderRequest) => {
    clock.set(at)
    return h.createOrder(req)
  }
  const a1 = await place('2025-03-01T09:00:00.000Z', { customer_id: alice, asset_name: 'THYAO', side: 'BUY' })
  const a2 = await place('2025-03-02T09:00:00.000Z', { customer_id: alice, asset_name: 'ASELS', side: 'SELL' })
  const b1 = await place('2025-03-03T09:00:00.000Z', { customer_id: bob, asset_name: 'THYAO', side: 'SELL' })
  const a3 = await place('2025-03-04T09:00:00.000Z', { customer_id: alice, asset_name: 'THYAO', side: 'BUY' })
  await h.reserve(a3)
  const list = (req: ListOrdersRequest) => h.call('ListOrders', req)
  const ids = (p: ListOrdersResponse__Output) => p.content.map((o) => o.id)

  assert.deepEqual(ids(await list({})), [a3.id, b1.id, a2.id, a1.id])
  assert.deepEqual(ids(await list({ customer_id: alice })), [a3.id, a2.id, a1.id])
  assert.deepEqual(ids(await list({ broker_id: broker })), [a3.id, a2.id, a1.id])
  assert.deepEqual(ids(await list({ broker_id: randomUUID() })), [])
  // The customers the gateway resolved (a broker's, live): neither more nor fewer.
  assert.deepEqual(ids(await list({ customer_ids: [bob, randomUUID()] })), [b1.id])
  assert.deepEqual(ids(await list({ customer_ids: [alice.toUpperCase(), bob], side: 'SELL' })), [b1.id, a2.id])
  assert.deepEqual(ids(await list({ asset_name: 'THYAO' })), [a3.id, b1.id, a1.id])
  assert.deepEqual(ids(await list({ side: 'SELL' })), [b1.id, a2.id])
  assert.deepEqual(ids(await list({ status: 'CONFIRMED' })), [a3.id])
  assert.deepEqual(ids(await list({ customer_id: bob, side: 'BUY' })), [])
  // start inclusive, end exclusive; a date alone is midnight UTC; an offset is honoured.
  assert.deepEqual(ids(await list({ start_date: '2025-03-02T09:00:00.000Z', end_date: '2025-03-04T09:00:00.000Z' })), [b1.id, a2.id])
  assert.deepEqual(ids(await list({ start_date: '2025-03-03' })), [a3.id, b1.id])
  assert.deepEqual(ids(await list({ end_date: '2025-03-02T12:00:00+02:00' })), [a2.id, a1.id])

  const first = await list({ page: { page: 0, size: 3 } })
  const second = await list({ page: { page: 1, size: 3 } })
  assert.deepEqual(ids(first), [a3.id, b1.id, a2.id])
  assert.deepEqual(ids(second), [a1.id])
  assert.deepEqual(second.page, { page: 1, size: 3, total_elements: 4 })
  assert.deepEqual((await list({ customer_id: alice, page: { page: 5, size: 0 } })).page, { page: 5, size: 20, total_elements: 3 })
  assert.deepEqual(first.content[0]?.history, [], 'history comes with GetOrder only')
})

test('when ListOrders gets bad filters, then VALIDATION_FAILED lists each', async (t) => {
  const h = await startOrder(t)
  const err = await failure(
    h.call('ListOrders', {
      page: { page: -1, size: 101 },
      customer_id: 'x',
      broker_id: 'y',
      customer_ids: [randomUUID(), 'z'],
      asset_name: 'bad name',
      start_date: '2025-02-30',
      end_date: 'yesterday',
    }),
  )
  assert.equal(err.code, 'VALIDATION_FAILED')
  assert.deepEqual((err.details as Array<{ field: string }>).map((d) => d.field).sort(), [
    'asset_name',
    'broker_id',
    'customer_id',
    'customer_ids[1]',
    'end_date',
    'page.page',
    'page.size',
    'start_date',
  ])
  const backwards = await failure(h.call('ListOrders', { start_date: '2025-03-02', end_date: '2025-03-01' }))
  assert.deepEqual(backwards.details, [{ field: 'end_date', message: 'must be after start_date' }])
  const noZone = await failure(h.call('ListOrders', { start_date: '2025-03-02T10:00:00' }))
  assert.equal(noZone.code, 'VALIDATION_FAILED')
})

test('when an order is read, then GetOrder has its history oldest first; unknown ids are NOT_FOUND; ListTrades is empty for now', async (t) => {
  const h = await startOrder(t)
  const order = await h.confirmedOrder()

  const got = await h.call('GetOrder', { id: order.id.toUpperCase() })
  assert.equal(got.id, order.id)
  assert.deepEqual(
    got.history.map((x) => x.status),
    ['PENDING', 'CONFIRMED'],
  )
  assert.ok(got.history[0]!.at <= got.history[1]!.at)
  assert.equal((await failure(h.call('GetOrder', { id: randomUUID() }))).code, 'NOT_FOUND')
  assert.equal((await failure(h.call('GetOrder', { id: '' }))).code, 'VALIDATION_FAILED')

  assert.deepEqual(await h.call('ListTrades', { order_id: order.id }), { trades: [] })
  assert.equal((await failure(h.call('ListTrades', { order_id: randomUUID() }))).code, 'NOT_FOUND')
})
