import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { MAX_AMOUNT } from '@brokerage/contracts'
import type { CreateOrderRequest } from '@brokerage/contracts/grpc'
import { failure, startOrder } from './helpers.js'

test('when an active customer places an order, then it is stored PENDING and OrderCreated carries the replica tier', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer({ tier: 'VIP' })
  const requestId = randomUUID()

  const res = await h.call('CreateOrder', {
    actor: { subject: customerId, role: 'CUSTOMER', request_id: requestId },
    customer_id: customerId,
    asset_name: 'THYAO',
    side: 'SELL',
    size: 12,
    price: 31_050,
  })

  assert.equal(res.replayed, false)
  assert.equal(res.order!.status, 'PENDING')
  const created = await h.next('OrderCreated', res.order!.id)
  assert.deepEqual(
    { ...created.data, createdAt: undefined },
    {
      orderId: res.order!.id,
      customerId,
      assetName: 'THYAO',
      side: 'SELL',
      size: 12,
      price: 31_050,
      tier: 'VIP',
      createdAt: undefined,
    },
  )
  assert.equal(created.key, customerId)
  assert.equal(created.correlationId, requestId)
  const got = await h.call('GetOrder', { id: res.order!.id })
  assert.equal(got.status, 'PENDING')
  assert.equal(got.filled_size, 0)
  assert.equal(got.created_at, created.data.createdAt)
  assert.deepEqual(
    got.history.map((x) => [x.status, x.event_id, x.reason]),
    [['PENDING', '', '']],
  )
})

test('when every field of CreateOrder is bad, then VALIDATION_FAILED names each one and nothing is stored', async (t) => {
  const h = await startOrder(t)
  const err = await failure(
    h.call('CreateOrder', {
      customer_id: 'not-a-uuid',
      asset_name: 'thyao',
      side: 'SIDE_UNSPECIFIED',
      size: 0,
      price: -5,
      wait_ms: 30_001,
      idempotency_key: 'k'.repeat(256),
    }),
  )
  assert.equal(err.code, 'VALIDATION_FAILED')
  const fields = (err.details as Array<{ field: string }>).map((d) => d.field).sort()
  assert.deepEqual(fields, ['asset_name', 'customer_id', 'idempotency_key', 'price', 'side', 'size', 'wait_ms'])

  const customerId = await h.customer()
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ asset_name: 'TRY' }, 'asset_name'],
    [{ asset_name: 'A' }, 'asset_name'],
    [{ asset_name: 'ABCDEFGHIJKLM' }, 'asset_name'],
    [{ asset_name: '1ABC' }, 'asset_name'],
    [{ customer_id: '' }, 'customer_id'],
    [{ side: 'HOLD' }, 'side'],
    [{ size: -1 }, 'size'],
    [{ size: 2 ** 53 }, 'size'],
    [{ price: 0 }, 'price'],
    [{ price: Number.MAX_SAFE_INTEGER + 2 }, 'price'],
    // Safe integers an event's Avro long cannot hold (its limit is 2^53 − 2): were 500.
    [{ size: Number.MAX_SAFE_INTEGER }, 'size'],
    [{ price: Number.MAX_SAFE_INTEGER }, 'price'],
    [{ size: 6361, price: 1416003655831 }, 'price'],
    // Each is safe, the total is not.
    [{ size: 2 ** 30, price: 2 ** 30 }, 'price'],
    [{ wait_ms: -1 }, 'wait_ms'],
  ]
  for (const [override, field] of cases) {
    const e = await failure(h.createOrder({ customer_id: customerId, ...override }))
    assert.equal(e.code, 'VALIDATION_FAILED', JSON.stringify(override))
    assert.deepEqual(
      (e.details as Array<{ field: string }>).map((d) => d.field),
      [field],
      JSON.stringify(override),
    )
  }
  const { rows } = await h.db.query('SELECT count(*)::int AS n FROM orders')
  assert.equal(rows[0]!.n, 0)
  assert.deepEqual(await h.emitted(), [])
})

test('when size × price is the largest amount an event holds (2^53 − 2), then the order is placed and its event carries it', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const order = await h.createOrder({ customer_id: customerId, size: 2, price: MAX_AMOUNT / 2 })
  assert.equal(order.status, 'PENDING')
  const created = await h.next('OrderCreated', order.id)
  assert.equal(created.data.size * created.data.price, MAX_AMOUNT)
})

test('when the customer is unknown to the replica, then NOT_FOUND and nothing is stored', async (t) => {
  const h = await startOrder(t)
  const err = await failure(h.createOrder({ customer_id: randomUUID(), idempotency_key: 'first-try' }))
  assert.equal(err.code, 'NOT_FOUND')
  const { rows } = await h.db.query(
    'SELECT (SELECT count(*) FROM orders)::int AS orders, (SELECT count(*) FROM idempotency_keys)::int AS keys',
  )
  assert.deepEqual(rows[0], { orders: 0, keys: 0 })
  assert.deepEqual(await h.emitted(), [])
})

test('when the customer is suspended, then the order is stored REJECTED (CUSTOMER_SUSPENDED) and only OrderRejected is emitted', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer({ status: 'SUSPENDED' })

  const order = await h.createOrder({ customer_id: customerId, side: 'SELL' })

  assert.equal(order.status, 'REJECTED')
  assert.equal(order.rejection_reason, 'CUSTOMER_SUSPENDED')
  const rejected = await h.next('OrderRejected', order.id)
  assert.equal(rejected.data.reason, 'CUSTOMER_SUSPENDED')
  assert.equal(rejected.data.side, 'SELL')
  assert.deepEqual(await h.emitted('OrderCreated'), [])
  assert.deepEqual((await h.stored(order.id))?.status, 'REJECTED')
})

test('when a customer is suspended after being active, then new orders are rejected and the tier follows CustomerTierChanged', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer({ tier: 'STANDARD' })
  const later = new Date().toISOString()
  await h.send('CustomerTierChanged', { customerId, previousTier: 'STANDARD', tier: 'PREMIUM', changedAt: later })
  // Older than the change above: a stale event does not undo it.
  await h.send('CustomerTierChanged', {
    customerId,
    previousTier: 'VIP',
    tier: 'STANDARD',
    changedAt: new Date(Date.now() - 30_000).toISOString(),
  })

  const first = await h.createOrder({ customer_id: customerId })
  assert.equal((await h.next('OrderCreated', first.id)).data.tier, 'PREMIUM')

  await h.send('CustomerStatusChanged', { customerId, previousStatus: 'ACTIVE', status: 'SUSPENDED', changedAt: new Date().toISOString() })
  const second = await h.createOrder({ customer_id: customerId })
  assert.equal(second.status, 'REJECTED')
  assert.equal(second.rejection_reason, 'CUSTOMER_SUSPENDED')
})

test('when the same idempotency key comes with the same request, then the first order answers again (replayed) and nothing is doubled', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const req: CreateOrderRequest = {
    customer_id: customerId,
    asset_name: 'ASELS',
    side: 'BUY',
    size: 3,
    price: 1_000,
    idempotency_key: 'order-1',
  }

  const first = await h.call('CreateOrder', req)
  const again = await h.call('CreateOrder', { ...req, actor: { request_id: randomUUID() } })
  const [c1, c2] = await Promise.all([h.call('CreateOrder', req), h.call('CreateOrder', req)])

  assert.equal(first.replayed, false)
  assert.equal(again.replayed, true)
  assert.equal(again.order!.id, first.order!.id)
  assert.deepEqual(
    [c1, c2].map((r) => r.order!.id),
    [first.order!.id, first.order!.id],
  )
  assert.equal((await h.emitted('OrderCreated')).length, 1)

  // Two first uses of a fresh key at once: the second waits for the first and replays it.
  const fresh = { ...req, idempotency_key: 'order-2' }
  const [r1, r2] = await Promise.all([h.call('CreateOrder', fresh), h.call('CreateOrder', fresh)])
  assert.equal(r1.order!.id, r2.order!.id)
  assert.deepEqual([r1.replayed, r2.replayed].sort(), [false, true])
  assert.equal((await h.emitted('OrderCreated')).length, 2)

  const reused = await failure(h.call('CreateOrder', { ...req, size: 4 }))
  assert.equal(reused.code, 'IDEMPOTENCY_KEY_REUSED')

  // Keys belong to one customer: another customer's same key is a new order.
  const other = await h.customer()
  const theirs = await h.call('CreateOrder', { ...req, customer_id: other })
  assert.equal(theirs.replayed, false)
  assert.notEqual(theirs.order!.id, first.order!.id)
  const { rows } = await h.db.query('SELECT count(*)::int AS n FROM orders')
  assert.equal(rows[0]!.n, 3)
})

test('when CreateOrder waits and the reservation lands meanwhile, then it answers CONFIRMED at once', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const started = Date.now()

  const answer = h.call('CreateOrder', {
    customer_id: customerId,
    asset_name: 'THYAO',
    side: 'BUY',
    size: 1,
    price: 100,
    wait_ms: 20_000,
  })
  const created = await h.next('OrderCreated')
  await h.send('AssetReserved', {
    orderId: created.data.orderId,
    customerId,
    assetName: 'TRY',
    amount: 100,
    reservedAt: new Date().toISOString(),
  })
  const res = await answer

  assert.equal(res.order!.id, created.data.orderId)
  assert.equal(res.order!.status, 'CONFIRMED')
  assert.ok(Date.now() - started < 10_000, 'answered on the change, not at the end of wait_ms')
})

test('when CreateOrder waits and nothing answers, then it returns PENDING once wait_ms is up', async (t) => {
  const h = await startOrder(t)
  const customerId = await h.customer()
  const started = Date.now()
  const res = await h.call('CreateOrder', {
    customer_id: customerId,
    asset_name: 'THYAO',
    side: 'BUY',
    size: 1,
    price: 100,
    wait_ms: 300,
  })
  assert.equal(res.order!.status, 'PENDING')
  assert.ok(Date.now() - started >= 300)
})

test('when customer events arrive out of order, then the replica keeps the newest of each field and knows the customer only once created', async (t) => {
  const h = await startOrder(t)
  const customerId = randomUUID()
  const broker = randomUUID()
  const created = new Date(Date.now() - 60_000).toISOString()
  const changed = new Date().toISOString()
  await h.send('CustomerTierChanged', { customerId, previousTier: 'STANDARD', tier: 'VIP', changedAt: changed })
  await h.send('BrokerAssigned', { customerId, brokerId: broker, previousBrokerId: null, assignedAt: changed })

  assert.equal((await failure(h.createOrder({ customer_id: customerId }))).code, 'NOT_FOUND', 'not created yet')

  await h.send('CustomerCreated', {
    customerId,
    name: 'Late Arrival',
    email: 'late@example.com',
    tier: 'STANDARD',
    status: 'ACTIVE',
    brokerId: null,
    createdAt: created,
  })
  const order = await h.createOrder({ customer_id: customerId })
  assert.equal((await h.next('OrderCreated', order.id)).data.tier, 'VIP')
  const listed = await h.call('ListOrders', { broker_id: broker })
  assert.deepEqual(
    listed.content.map((o) => o.id),
    [order.id],
  )
})
