import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'
import type pg from 'pg'
import type { AnyEnvelope, Envelope, EventType } from '@brokerage/contracts'
import { createEventCodec, createOutbox, type EventHandlers } from '@brokerage/platform'
import type { Db } from '@brokerage/platform/postgres'
import { captureLogs, createMigratedTestDb } from '@brokerage/platform/testing'
import { checkConservation } from '../src/conservation.js'
import { createHandlers } from '../src/handlers.js'
import { createLedger } from '../src/ledger.js'
import { createMovements } from '../src/movements.js'
import { createOrderReservations } from '../src/reservations.js'
import { deposit, orderCancelled, orderCreated, orderRejected, startHarness } from './harness.js'

// The order saga's handlers are set-based: a run of events costs a fixed number of
// statements. These tests call the handlers as the consumer does, in one transaction on a
// real database, through a client that counts the statements it is given.

const codec = createEventCodec()

async function setup(t: TestContext) {
  const db = await createMigratedTestDb(t, 'asset', fileURLToPath(new URL('../migrations/', import.meta.url)))
  const handlers = createHandlers({
    ledger: createLedger(),
    orders: createOrderReservations(),
    movements: createMovements(),
    outbox: createOutbox(codec),
    log: captureLogs({ level: 'silent' }).log,
  })
  return { db, handlers }
}

/** Runs events through their handler in one transaction, as a consumer batch does; returns the statements run. */
async function run(db: Db, handlers: EventHandlers, events: AnyEnvelope[]): Promise<string[]> {
  const texts: string[] = []
  await db.tx(async (client) => {
    const query = (...args: Parameters<typeof client.query>) => {
      texts.push(String(args[0]))
      return (client.query as (...a: unknown[]) => unknown)(...args)
    }
    const tx = new Proxy(client, { get: (target, p) => (p === 'query' ? query : Reflect.get(target, p)) }) as pg.PoolClient
    const handler = (
      handlers as Record<
        EventType,
        ((e: AnyEnvelope, ctx: unknown) => Promise<void>) | { batch: (e: AnyEnvelope[], ctx: unknown) => Promise<void> }
      >
    )[events[0]!.type]
    if (typeof handler === 'function') for (const e of events) await handler(e, { tx, message: null })
    else await handler.batch(events, { tx, messages: [] })
  })
  return texts
}

async function answers(db: Db): Promise<AnyEnvelope[]> {
  const { rows } = await db.query<{ value: Buffer }>('SELECT value FROM outbox ORDER BY id')
  return Promise.all(rows.map(async (r) => (await codec.decode(r.value)) as AnyEnvelope))
}

async function usable(db: Db, customerId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ usable_size: number }>(
    "SELECT usable_size FROM balances WHERE customer_id = $1 AND asset_name = 'TRY'",
    [customerId],
  )
  return rows[0]?.usable_size
}

test('when runs of 3 and of 60 OrderCreated are reserved, then both cost the same statements and each customer’s later orders see the earlier holds', async (t) => {
  const { db, handlers } = await setup(t)
  const customers = Array.from({ length: 20 }, () => randomUUID())
  for (const c of customers) await run(db, handlers, [deposit(c, 250_000)])
  await db.query('DELETE FROM outbox')

  // Each customer can hold two orders of 100,000 TRY; the third finds 50,000 usable.
  const orders = (cs: string[]) => [0, 1, 2].flatMap(() => cs.map((c) => orderCreated(c, { size: 10, price: 10_000 })))
  const small = await run(db, handlers, orders(customers.slice(0, 1)))
  const large = orders(customers.slice(1))
  const resent = { ...large[0]!, id: randomUUID() }
  const invalid = orderCreated(customers[1]!, { size: 0 })
  const big = await run(db, handlers, [...large, resent, invalid])

  assert.equal(big.length, small.length, `statements: ${big.join(' | ')}`)
  // One lock (reservations and balances), one write (balances, journal, reservations), the outbox.
  assert.equal(small.length, 3, `statements: ${small.join(' | ')}`)
  const out = await answers(db)
  const answer = (e: Envelope<'OrderCreated'>) => out.filter((a) => a.causationId === e.id).map((a) => a.type)
  for (const [i, e] of large.entries()) assert.deepEqual(answer(e), [i < 2 * 19 ? 'AssetReserved' : 'AssetReservationFailed'], `order ${i}`)
  assert.deepEqual(answer(resent), [], 'a re-sent OrderCreated is not answered again')
  const failed = out.find((a): a is Envelope<'AssetReservationFailed'> => a.causationId === invalid.id)
  assert.deepEqual([failed?.data.reason, failed?.data.availableAmount], ['INVALID_ORDER', 50_000])
  const third = out.find((a): a is Envelope<'AssetReservationFailed'> => a.causationId === large[2 * 19]!.id)
  assert.deepEqual([third?.data.reason, third?.data.availableAmount], ['INSUFFICIENT_BALANCE', 50_000])
  for (const c of customers) assert.equal(await usable(db, c), 50_000)
  assert.deepEqual(await checkConservation(db), [])
})

test('when short and long runs of cancels and rejects arrive, among them orders never seen and second closes, then every run stays within the same few statements and releases exactly once', async (t) => {
  const { db, handlers } = await setup(t)
  const customers = Array.from({ length: 20 }, () => randomUUID())
  for (const c of customers) await run(db, handlers, [deposit(c, 1_000_000)])
  const created = customers.flatMap((c) => [orderCreated(c, { size: 10, price: 10_000 }), orderCreated(c, { size: 10, price: 10_000 })])
  await run(db, handlers, created)
  await db.query('DELETE FROM outbox')
  const unseen = customers.map((c) => orderCreated(c))

  // A lock, one write (tombstones, releases, balances, journal), the outbox.
  const MAX = 3
  const statements = [
    await run(db, handlers, [orderCancelled(created[0]!), orderCancelled(created[0]!), orderCancelled(unseen[0]!)]),
    await run(db, handlers, [
      ...created.slice(2, 22).map((o) => orderCancelled(o)),
      orderCancelled(unseen[1]!),
      orderCancelled(created[2]!),
    ]),
    await run(db, handlers, [orderRejected(created[1]!), orderRejected(created[1]!), orderRejected(unseen[2]!)]),
    await run(db, handlers, [...created.slice(22).map((o) => orderRejected(o)), orderRejected(created[2]!), orderRejected(unseen[3]!)]),
  ]
  assert.deepEqual(
    statements.map((s) => s.length),
    [MAX, MAX, MAX, MAX],
  )

  const released = (await answers(db)).filter((a) => a.type === 'AssetReleased')
  assert.equal(
    released.length,
    created.length,
    'one release per order held; a second cancel, a second reject and a reject after a cancel release nothing',
  )
  for (const c of customers) assert.equal(await usable(db, c), 1_000_000)
  assert.equal((await db.query("SELECT count(*)::int AS n FROM order_reservations WHERE outcome = 'AWAITING_ORDER'")).rows[0]!.n, 4)
  // The late OrderCreated of an order closed first reserves nothing.
  await run(db, handlers, unseen.slice(0, 4))
  for (const c of customers) assert.equal(await usable(db, c), 1_000_000)
  assert.deepEqual(await checkConservation(db), [])
})

test('when one publish carries several orders of one customer, then the service reserves them in order and the last that does not fit fails', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 250_000)
  const orders = [0, 1, 2].map(() => orderCreated(customerId, { size: 10, price: 10_000 }))
  await h.publish(...orders, orderCancelled(orders[0]!))
  const replies = await Promise.all(orders.map(async (o) => (await h.answersTo(o))[0]!.type))
  assert.deepEqual(replies, ['AssetReserved', 'AssetReserved', 'AssetReservationFailed'])
  await h.settle(customerId, 'order.events')
  assert.deepEqual(await h.balance(customerId), { size: 250_000, usable: 150_000 })
  await h.assertConserved()
})
