import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { test } from 'node:test'
import { newEnvelope } from '@brokerage/contracts'
import { createDb, createEventCodec, createLogger, createOutbox } from '@brokerage/platform'
import { createCustomerReplica } from '../src/customer-replica.js'
import { createOrders } from '../src/orders.js'
import { createOrderStore, type OrderRow } from '../src/store.js'
import { startOrder } from './helpers.js'

// The statements each use case sends to PostgreSQL, counted on a pool of its own (the
// service's relay and consumer share the service's pool and would blur the count). Each
// statement costs a round trip and about 0.35 ms of CPU (BENCHMARKS.md), so these are
// budgets: placing an order was 7 statements (8 with a key), then 4 (BEGIN, placement, outbox
// insert, COMMIT), now 1; confirming one was 6 and a wake-up.

function countedOrders(t: TestContext, databaseUrl: string) {
  const db = createDb({ url: databaseUrl })
  t.after(() => db.close())
  const statements: string[] = []
  db.pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    ;(client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text
      statements.push(text.replace(/\s+/g, ' ').trim().slice(0, 48))
      return query(...args)
    }
  })
  // The relay, as the service's own leading one: counts the wake-ups a use case sends it.
  const relay = { wakes: 0, isLeader: () => true, wake: () => relay.wakes++ }
  const orders = createOrders({
    db,
    store: createOrderStore(),
    replica: createCustomerReplica(),
    outbox: createOutbox(createEventCodec(), { db, localRelay: () => relay }),
    wakeUp: { changed() {} },
    now: () => new Date(),
    log: createLogger({ service: 'order-test', level: 'silent' }),
  })
  /** The statements sent since the last call. */
  const sent = () => statements.splice(0)
  return { db, orders, sent, relay }
}

const order = (customerId: string) => ({ customerId, assetName: 'THYAO', side: 'BUY' as const, size: 1, price: 100 })

test('when an order is placed, then it takes one statement, with or without an idempotency key, and a replay one more', async (t) => {
  const h = await startOrder(t)
  const { orders, sent, relay } = countedOrders(t, h.databaseUrl)
  const customerId = await h.customer()

  const plain = await orders.create(order(customerId))
  const plainStatements = sent()
  const keyed = await orders.create({ ...order(customerId), idempotencyKey: 'k-1' })
  const keyedStatements = sent()
  const replay = await orders.create({ ...order(customerId), idempotencyKey: 'k-1' })
  const replayStatements = sent()

  assert.equal(plain.order.status, 'PENDING')
  assert.equal(plainStatements.length, 1, plainStatements.join('\n'))
  assert.equal(keyedStatements.length, 1, keyedStatements.join('\n'))
  assert.deepEqual([replay.replayed, replay.order.id], [true, keyed.order.id])
  assert.equal(replayStatements.length, 2, `a replay reads the first order once: ${replayStatements.join('\n')}`)
  assert.equal(relay.wakes, 2, 'the relay is woken after each placement that wrote events, not after the replay')
  // What it answered is what was stored, though nothing read it back.
  assert.deepEqual(plain.order, await orders.read(plain.order.id))
  // The events were written by the same statement.
  assert.equal((await h.next('OrderCreated', plain.order.id)).data.tier, 'STANDARD')
  assert.equal((await h.next('OrderCreated', keyed.order.id)).data.createdAt, keyed.order.createdAt.toISOString())
})

test('when the customer changed since its last order, then the next order and its event follow the replica, at one more statement', async (t) => {
  const h = await startOrder(t)
  const { orders, sent } = countedOrders(t, h.databaseUrl)
  const customerId = await h.customer({ tier: 'VIP' })

  const first = await orders.create(order(customerId))
  const firstStatements = sent()
  const second = await orders.create(order(customerId))
  const secondStatements = sent()
  await h.send('CustomerTierChanged', { customerId, previousTier: 'VIP', tier: 'PREMIUM', changedAt: new Date().toISOString() })
  const third = await orders.create(order(customerId))
  const thirdStatements = sent()
  // What each answered is what was stored (read before the suspension below cancels them).
  for (const { order: o } of [first, second, third]) assert.deepEqual(o, await orders.read(o.id))
  sent()
  await h.send('CustomerStatusChanged', { customerId, previousStatus: 'ACTIVE', status: 'SUSPENDED', changedAt: new Date().toISOString() })
  const fourth = await orders.create(order(customerId))
  const fourthStatements = sent()

  assert.deepEqual(
    [first, second, third, fourth].map(({ order: o }) => [o.tier, o.status]),
    [
      ['VIP', 'PENDING'],
      ['VIP', 'PENDING'],
      ['PREMIUM', 'PENDING'],
      ['PREMIUM', 'REJECTED'],
    ],
  )
  assert.deepEqual(
    [firstStatements, secondStatements, thirdStatements, fourthStatements].map((s) => s.length),
    [2, 1, 2, 2],
    'a guess the replica refuses writes nothing and costs one statement',
  )
  assert.deepEqual(fourth.order, await orders.read(fourth.order.id))
  assert.equal((await h.next('OrderCreated', first.order.id)).data.tier, 'VIP')
  assert.equal((await h.next('OrderCreated', third.order.id)).data.tier, 'PREMIUM')
  assert.equal((await h.next('OrderRejected', fourth.order.id)).data.reason, 'CUSTOMER_SUSPENDED')
  assert.deepEqual(await h.emitted('OrderCreated', fourth.order.id), [])
  const { rows } = await h.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM order_status_history WHERE order_id = ANY($1::uuid[]) AND event_id IS NULL',
    [[first, second, third, fourth].map((o) => o.order.id)],
  )
  assert.equal(rows[0]!.n, 4, "one placement entry per order (the suspension's cancels carry its event), none from a refused guess")
})

test('when reservations are answered, then the orders are locked, then moved with their events in one statement, however many come at once', async (t) => {
  const h = await startOrder(t)
  const { db, orders, sent } = countedOrders(t, h.databaseUrl)
  const customerId = await h.customer()
  const placed: OrderRow[] = []
  for (let i = 0; i < 4; i++) placed.push((await orders.create(order(customerId))).order)
  const reservedEvent = (orderId: string) =>
    newEnvelope('AssetReserved', { orderId, customerId, assetName: 'TRY', amount: 100, reservedAt: new Date().toISOString() })
  sent()

  const one = reservedEvent(placed[0]!.id)
  await db.tx((tx) => orders.answerReservations(tx, [{ event: one, orderId: one.data.orderId, outcome: { reserved: true } }]))
  const single = sent()
  await db.tx((tx) =>
    orders.answerReservations(
      tx,
      placed.slice(1).map((o) => ({ event: reservedEvent(o.id), orderId: o.id, outcome: { reserved: true } as const })),
    ),
  )
  const three = sent()

  assert.equal(single.length, 4, `BEGIN, lock, move with its events, COMMIT: ${single.join('\n')}`)
  assert.deepEqual(three, single, 'three orders cost what one does')
  for (const o of placed) assert.equal((await orders.read(o.id)).status, 'CONFIRMED')
})

test('when a PENDING order is cancelled, then the answer is the row as written, not read back', async (t) => {
  const h = await startOrder(t)
  const { orders, sent } = countedOrders(t, h.databaseUrl)
  const customerId = await h.customer()
  const { order: placed } = await orders.create(order(customerId))
  sent()

  const cancelled = await orders.cancel(placed.id, undefined)
  const statements = sent()

  assert.equal(statements.length, 4, `BEGIN, lock, move with its event, COMMIT: ${statements.join('\n')}`)
  assert.equal(cancelled.status, 'CANCELED')
  assert.deepEqual(cancelled, await orders.read(placed.id))
})
