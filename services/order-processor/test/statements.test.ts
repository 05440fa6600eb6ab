import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test, type TestContext } from 'node:test'
import { newEnvelope, type AnyEnvelope, type EventData, type EventType } from '@brokerage/contracts'
import { createEventCodec, createOutbox, type EventHandlers } from '@brokerage/platform'
import type { Db } from '@brokerage/platform/postgres'
import { captureLogs, createMigratedTestDb } from '@brokerage/platform/testing'
import { depth } from '../src/engine/book.js'
import { createEngineHandlers } from '../src/handlers.js'
import { createSettlementSaga } from '../src/saga.js'
import { createBookStore } from '../src/store.js'
import { confirmedOrder } from './commands.js'

// The engine's handlers are set-based: a batch of commands costs a fixed number of statements
// however many commands and books it holds (it cost three or four per command: lock, header,
// orders, outbox). They are called here as the consumer calls them, in one transaction on a
// real database, through a client that counts the statements it is given.

const codec = createEventCodec()

async function setup(t: TestContext) {
  const db = await createMigratedTestDb(t, 'order_processor', fileURLToPath(new URL('../migrations/', import.meta.url)))
  const outbox = createOutbox(codec)
  const now = () => new Date()
  const log = captureLogs({ level: 'silent' }).log
  const books = createBookStore({ afterCommit: db.afterCommit })
  const saga = createSettlementSaga({ db, outbox, now, log })
  return { db, books, saga, handlers: createEngineHandlers({ books, saga, outbox, now }) }
}

/** Runs a run of commands of one type through its handler in one transaction, as a consumer batch does; returns the statements run. */
async function run(db: Db, handlers: EventHandlers, events: AnyEnvelope[]): Promise<string[]> {
  const texts: string[] = []
  await db.tx(async (tx) => {
    // Counted on the transaction's own client (not a wrapper), so afterCommit hooks still find it.
    const query = tx.query
    ;(tx as { query: unknown }).query = (...args: unknown[]) => {
      texts.push(String(args[0]).replace(/\s+/g, ' ').trim().slice(0, 40))
      return (query as (...a: unknown[]) => unknown).apply(tx, args)
    }
    const handler = (
      handlers as Record<
        EventType,
        ((e: AnyEnvelope, ctx: unknown) => Promise<void>) | { batch: (e: AnyEnvelope[], ctx: unknown) => Promise<void> }
      >
    )[events[0]!.type]
    try {
      if (typeof handler === 'function') for (const e of events) await handler(e, { tx, message: null })
      else await handler.batch(events, { tx, messages: [] })
    } finally {
      ;(tx as { query: unknown }).query = query
    }
  })
  return texts
}

const commands = <T extends EventType>(type: T, data: Array<EventData<T>>) => data.map((d) => newEnvelope(type, d) as AnyEnvelope)

const crossing = (assetName: string) => ({ assetName, crossing: true, changedBy: 'admin', changedAt: new Date().toISOString() })

async function outboxTypes(db: Db): Promise<string[]> {
  const { rows } = await db.query<{ value: Buffer }>('SELECT value FROM outbox ORDER BY id')
  return Promise.all(rows.map(async (r) => ((await codec.decode(r.value)) as AnyEnvelope).type))
}

/** The book as stored, read from the rows by a store of its own, against the copy the engine holds. */
async function assertStoredAsHeld(db: Db, books: ReturnType<typeof createBookStore>, assetName: string) {
  const stored = await createBookStore().read(db, assetName)
  const held = await db.tx(async (tx) => (await books.lock(tx, [{ assetName }])).get(assetName)!)
  assert.ok(stored, `${assetName} is stored`)
  assert.deepEqual(
    { ...depth(stored, 0), crossing: stored.crossing, nextSeq: stored.nextSeq, tradeSeq: stored.tradeSeq },
    { ...depth(held, 0), crossing: held.crossing, nextSeq: held.nextSeq, tradeSeq: held.tradeSeq },
    `${assetName}: the stored book is the one in memory`,
  )
  return stored
}

test('when runs of 1 and of 60 OrderConfirmed over three assets are applied, then both cost the lock and one write, and the stored books are the ones in memory', async (t) => {
  const { db, books, handlers } = await setup(t)
  const one = await run(db, handlers, commands('OrderConfirmed', [confirmedOrder({ assetName: 'AKBNK' })]))
  const assets = ['THYAO', 'GARAN', 'AKBNK']
  const many = await run(
    db,
    handlers,
    commands(
      'OrderConfirmed',
      Array.from({ length: 60 }, (_, i) =>
        confirmedOrder({ assetName: assets[i % 3]!, side: i % 2 ? 'SELL' : 'BUY', price: i % 2 ? 200 + i : 100 + i }),
      ),
    ),
  )
  assert.deepEqual(one.length, 2, one.join('\n'))
  assert.deepEqual(many, one, 'a run of 60 over three books: the same statements as a run of one')
  const { rows: versions } = await db.query<{ asset_name: string; version: number }>(
    'SELECT asset_name, version FROM books ORDER BY asset_name',
  )
  assert.deepEqual(
    versions.map((v) => [v.asset_name, v.version]),
    [
      ['AKBNK', 20],
      ['GARAN', 19],
      ['THYAO', 19],
    ],
    'a book’s version counts the commands applied to it (from 0 at its first), batched or not',
  )
  for (const a of assets) assert.equal((await assertStoredAsHeld(db, books, a)).orders.size, a === 'AKBNK' ? 21 : 20)
})

test('when a run of orders crosses (one order traded twice in it), then trades, legs and answers cost one statement each for the run', async (t) => {
  const { db, books, handlers } = await setup(t)
  await run(db, handlers, commands('MarketSettingsChanged', [crossing('THYAO'), crossing('GARAN')]))
  // Each ask rests, then two bids of 3 take it 3 + 3 (the ask is booked and updated twice within the run).
  const orders = ['THYAO', 'GARAN'].flatMap((assetName) =>
    Array.from({ length: 5 }, () => [
      confirmedOrder({ assetName, side: 'SELL', price: 100, size: 6 }),
      confirmedOrder({ assetName, side: 'BUY', price: 100, size: 3 }),
      confirmedOrder({ assetName, side: 'BUY', price: 100, size: 3 }),
    ]).flat(),
  )
  const statements = await run(db, handlers, commands('OrderConfirmed', orders))
  assert.equal(statements.length, 4, `lock, write the books, record the legs, outbox: ${statements.join('\n')}`)
  assert.equal((await db.query("SELECT 1 FROM settlement_legs WHERE status = 'PENDING'")).rowCount, 40)
  assert.equal((await outboxTypes(db)).filter((type) => type === 'OrderMatched').length, 20)
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM book_orders WHERE resting OR remaining > 0')
  assert.equal(Number(rows[0]!.n), 0, 'every order filled, as stored')
  for (const a of ['THYAO', 'GARAN']) assert.equal((await assertStoredAsHeld(db, books, a)).orders.size, 0)
})

test('when cancels come before and after their orders in one transaction, then each run costs a fixed number of statements and no early cancel is left', async (t) => {
  const { db, books, handlers } = await setup(t)
  const resting = Array.from({ length: 10 }, () => confirmedOrder())
  const early = Array.from({ length: 10 }, () => confirmedOrder())
  await run(db, handlers, commands('OrderConfirmed', resting))
  const cancelOf = (o: EventData<'OrderConfirmed'>) => ({
    orderId: o.orderId,
    customerId: o.customerId,
    assetName: o.assetName,
    reason: 'REQUESTED' as const,
    requestedAt: new Date().toISOString(),
  })
  const cancels = await run(db, handlers, commands('OrderCancelRequested', [...resting, ...early].map(cancelOf)))
  assert.equal(cancels.length, 3, `lock, write, outbox: ${cancels.join('\n')}`)
  assert.equal((await db.query('SELECT 1 FROM early_cancels')).rowCount, 10)
  const arrivals = await run(db, handlers, commands('OrderConfirmed', early))
  assert.equal(arrivals.length, 3, `lock, write, outbox: ${arrivals.join('\n')}`)
  assert.equal((await db.query('SELECT 1 FROM early_cancels')).rowCount, 0)
  // A cancel sent again for a closed order is answered from the stored row, found by the lock.
  const again = await run(db, handlers, commands('OrderCancelRequested', [cancelOf(resting[0]!), cancelOf(early[0]!)]))
  assert.equal(again.length, 2, `lock, outbox (nothing to write): ${again.join('\n')}`)
  assert.deepEqual(
    (await outboxTypes(db)).filter((type) => type === 'OrderRemovedFromBook').length,
    22,
    '10 resting + 10 early + 2 repeated answers',
  )
  assert.equal((await assertStoredAsHeld(db, books, 'THYAO')).orders.size, 0)
})

test('when a run of settlements comes (one order filled by two trades in it, one leg twice, one unknown), then it costs one statement and the outbox, and each fill adds up', async (t) => {
  const { db, saga, handlers } = await setup(t)
  await run(db, handlers, commands('MarketSettingsChanged', [crossing('THYAO')]))
  // One ask of 6 taken by two bids of 3 (two trades), then an ask of 2 taken by a bid of 2.
  const ask = confirmedOrder({ side: 'SELL', price: 100, size: 6 })
  const bids = [confirmedOrder({ price: 100, size: 3 }), confirmedOrder({ price: 100, size: 3 })]
  const small = [confirmedOrder({ side: 'SELL', price: 100, size: 2 }), confirmedOrder({ price: 100, size: 2 })]
  await run(db, handlers, commands('OrderConfirmed', [ask, ...bids, ...small]))
  const { rows: legs } = await db.query<EventData<'AssetTransferred'>>(
    `SELECT trade_id AS "tradeId", order_id AS "orderId", customer_id AS "customerId", asset_name AS "assetName", side, size, price
     FROM settlement_legs ORDER BY matched_at, trade_id, side`,
  )
  assert.equal(legs.length, 6)
  await db.query('DELETE FROM outbox')
  const transferred = (l: EventData<'AssetTransferred'>): EventData<'AssetTransferred'> => ({
    ...l,
    changes: [{ assetName: 'THYAO', sizeDelta: l.side === 'BUY' ? l.size : -l.size, usableSizeDelta: 0 }],
    transferredAt: new Date().toISOString(),
  })
  const unknown = { ...legs[0]!, tradeId: confirmedOrder().orderId }
  const statements = await run(db, saga.handlers, commands('AssetTransferred', [...legs, legs[0]!, unknown].map(transferred)))
  assert.equal(statements.length, 2, `settle, outbox: ${statements.join('\n')}`)

  const { rows } = await db.query<{ value: Buffer }>('SELECT value FROM outbox ORDER BY id')
  const done = await Promise.all(rows.map(async (r) => (await codec.decode(r.value)) as AnyEnvelope))
  const completed = done.map((e) => (e as { data: EventData<'SettlementCompleted'> }).data)
  assert.deepEqual(
    done.map((e) => e.type),
    Array(6).fill('SettlementCompleted'),
    'one answer per leg: the repeated leg and the unknown one are not answered',
  )
  const of = (orderId: string) => completed.filter((c) => c.orderId === orderId).map((c) => [c.filledSize, c.remainingSize])
  assert.deepEqual(of(ask.orderId), [
    [3, 3],
    [6, 0],
  ])
  for (const o of [...bids, ...small]) assert.deepEqual(of(o.orderId), [[o.size, 0]])
  assert.equal((await db.query("SELECT 1 FROM settlement_legs WHERE status = 'SETTLED'")).rowCount, 6)
})
