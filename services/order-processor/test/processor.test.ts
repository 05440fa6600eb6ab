import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { newEnvelope, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import { eventually, failure, serviceUnderTest } from '@brokerage/platform/testing'
import { startOrderProcessorService } from '../src/app.js'
import { apply } from '../src/engine/engine.js'
import { createBookStore } from '../src/store.js'
import { confirmedOrder } from './commands.js'

// The order-processor in-process on its own database and bus, fed engine commands on the
// real pglog bus and read over real gRPC.

async function setup(t: TestContext) {
  const sut = await serviceUnderTest(t, {
    name: 'processor',
    outputs: ['processor.events', 'engine.commands'],
    group: 'order-processor-engine',
  })

  async function start() {
    const svc = await sut.start((config) => startOrderProcessorService({ config }))
    const client = sut.client(svc, 'processor', 'order-processor')
    const stop = async () => {
      client.close()
      await svc.stop()
    }
    return { svc, stop, call: client.call }
  }

  /** Publishes commands and waits until the engine's group has committed past them. */
  async function send<T extends EventType>(type: T, data: EventData<T>): Promise<Envelope<T>> {
    const e = newEnvelope(type, data)
    await sut.deliver(e as AnyEnvelope)
    return e
  }

  const next = <T extends EventType>(type: T, orderId?: string): Promise<Envelope<T>> => sut.next(type, orderId ? { orderId } : {})

  return { start, send, next, events: sut.events, db: sut.db, publish: sut.publish }
}

const order = confirmedOrder

const cancelOf = (o: EventData<'OrderConfirmed'>): EventData<'OrderCancelRequested'> => ({
  orderId: o.orderId,
  customerId: o.customerId,
  assetName: o.assetName,
  reason: 'REQUESTED',
  requestedAt: new Date().toISOString(),
})

test('when an order is confirmed, then it rests in the book; when its cancel comes, then OrderRemovedFromBook answers with the remainder', async (t) => {
  const h = await setup(t)
  const p = await h.start()
  const bid = order({ price: 25_000, size: 10 })
  const bid2 = order({ price: 25_000, size: 5, tier: 'VIP' })
  const ask = order({ side: 'SELL', price: 26_000, size: 3 })
  for (const o of [bid, bid2, ask]) await h.send('OrderConfirmed', o)

  const book = await p.call('GetOrderBook', { asset_name: 'THYAO' })
  assert.deepEqual(
    { bids: book.bids, asks: book.asks },
    { bids: [{ price: 25_000, size: 15, orders: 2 }], asks: [{ price: 26_000, size: 3, orders: 1 }] },
  )

  const request = await h.send('OrderCancelRequested', cancelOf(bid))

  const removed = await h.next('OrderRemovedFromBook', bid.orderId)
  assert.equal(removed.key, bid.customerId, 'processor.events are keyed by customer')
  assert.equal(removed.causationId, request.id)
  assert.deepEqual(
    { ...removed.data, removedAt: undefined },
    {
      orderId: bid.orderId,
      customerId: bid.customerId,
      assetName: 'THYAO',
      side: 'BUY',
      price: 25_000,
      remainingSize: 10,
      removedAt: undefined,
    },
  )
  const after = await p.call('GetOrderBook', { asset_name: 'THYAO', depth: 1 })
  assert.deepEqual(after.bids, [{ price: 25_000, size: 5, orders: 1 }])
  const { rows } = await h.db.query('SELECT remaining, resting FROM book_orders WHERE order_id = $1', [bid.orderId])
  assert.deepEqual(rows, [{ remaining: 0, resting: false }])
})

test('when the processor restarts, then its books are as they were and an early cancel stored before still gets its answer', async (t) => {
  const h = await setup(t)
  const first = await h.start()
  const resting = order({ side: 'SELL', price: 900, size: 4 })
  const late = order({ assetName: 'ASELS', price: 50, size: 6 })
  await h.send('OrderConfirmed', resting)
  // A cancel that overtook its order: answered once the order shows up, even across a restart.
  await h.send('OrderCancelRequested', cancelOf(late))
  await first.stop()

  const second = await h.start()
  const book = await second.call('GetOrderBook', { asset_name: 'THYAO' })
  assert.deepEqual(book.asks, [{ price: 900, size: 4, orders: 1 }])

  await h.send('OrderConfirmed', late)
  const answer = await h.next('OrderRemovedFromBook', late.orderId)
  assert.equal(answer.data.remainingSize, 6)
  assert.deepEqual((await second.call('GetOrderBook', { asset_name: 'ASELS' })).bids, [])

  await h.send('OrderCancelRequested', cancelOf(resting))
  assert.equal((await h.next('OrderRemovedFromBook', resting.orderId)).data.remainingSize, 4)
  assert.deepEqual((await second.call('GetOrderBook', { asset_name: 'THYAO' })).asks, [])
})

test('when an admin sets a market, then it is stored, MarketSettingsChanged reaches the engine, and ListMarkets shows it', async (t) => {
  const h = await setup(t)
  const p = await h.start()
  await h.send('OrderConfirmed', order({ assetName: 'ASELS' }))

  const market = await p.call('SetMarket', {
    actor: { subject: 'admin', role: 'ADMIN', request_id: 'req-42' },
    asset_name: 'THYAO',
    crossing: true,
  })

  assert.deepEqual([market.asset_name, market.crossing], ['THYAO', true])
  const changed = await h.next('MarketSettingsChanged')
  assert.deepEqual([changed.key, changed.data.crossing, changed.data.changedBy, changed.correlationId], ['THYAO', true, 'admin', 'req-42'])
  await eventually(async () => (await h.db.query("SELECT crossing FROM books WHERE asset_name = 'THYAO'")).rows[0]?.crossing === true, {
    what: 'the engine to apply the setting',
  })
  const { markets } = await p.call('ListMarkets', {})
  assert.deepEqual(
    markets.map((m) => [m.asset_name, m.crossing]),
    [
      ['ASELS', false],
      ['THYAO', true],
    ],
  )
})

test('when the processor gets bad requests, then VALIDATION_FAILED names each field; an unknown asset has an empty book', async (t) => {
  const h = await setup(t)
  const p = await h.start()
  const fail = failure
  const set = await fail(p.call('SetMarket', { asset_name: 'try', crossing: true }))
  assert.equal(set.code, 'VALIDATION_FAILED')
  assert.deepEqual(
    (set.details as Array<{ field: string }>).map((d) => d.field),
    ['asset_name', 'actor.subject'],
  )
  const book = await fail(p.call('GetOrderBook', { asset_name: 'TRY', depth: -1 }))
  assert.deepEqual(
    (book.details as Array<{ field: string }>).map((d) => d.field),
    ['asset_name', 'depth'],
  )
  const { rows } = await h.db.query('SELECT count(*)::int AS n FROM markets')
  assert.equal(rows[0]!.n, 0)

  const empty = await p.call('GetOrderBook', { asset_name: 'GARAN' })
  assert.deepEqual([empty.asset_name, empty.bids, empty.asks], ['GARAN', [], []])
})

test('when another writer changed a book this processor holds in memory, then the processor reads the book again before applying', async (t) => {
  const h = await setup(t)
  await h.start()
  await h.send('OrderConfirmed', order({ price: 100 }))
  // As another instance would during a rebalance: a resting order booked and the book's version moved on.
  const theirs = order({ side: 'SELL', price: 120, size: 7 })
  await h.db.query(
    `INSERT INTO book_orders (order_id, asset_name, customer_id, side, price, size, remaining, tier, placed_at, seq, resting, updated_at)
     VALUES ($1, 'THYAO', $2, 'SELL', 120, 7, 7, 'STANDARD', now(), 0, true, now())`,
    [theirs.orderId, theirs.customerId],
  )
  await h.db.query(`UPDATE books SET version = version + 1 WHERE asset_name = 'THYAO'`)

  await h.send('OrderCancelRequested', cancelOf(theirs))
  assert.equal((await h.next('OrderRemovedFromBook', theirs.orderId)).data.remainingSize, 7)
  const { rows } = await h.db.query('SELECT order_id FROM early_cancels')
  assert.deepEqual(rows, [], 'the cancel found the order; it did not wait for it')
})

test('when a batch rolls back after the engine changed the book in memory, then that copy is not trusted and the good order is still booked', async (t) => {
  const h = await setup(t)
  const p = await h.start()
  const good = order({ price: 300, size: 2 })
  // Same asset, so one partition and one batch; the engine refuses a zero price, which rolls the
  // whole batch back after the good order was already put in the book in memory.
  const bad = order({ price: 0, size: 1 })
  await h.publish(newEnvelope('OrderConfirmed', good) as AnyEnvelope, newEnvelope('OrderConfirmed', bad) as AnyEnvelope)

  await eventually(async () => (await h.db.query('SELECT 1 FROM book_orders WHERE order_id = $1', [good.orderId])).rowCount === 1, {
    what: 'the good order stored',
  })
  const book = await p.call('GetOrderBook', { asset_name: 'THYAO' })
  assert.deepEqual(book.bids, [{ price: 300, size: 2, orders: 1 }])
})

test('when a transaction that changed a book rolls back and another writer then moves the book on by one, then the copy in memory is not trusted', async (t) => {
  const h = await setup(t)
  // The service's migrations, then the store alone, driven the way the engine's handler drives it.
  await (await h.start()).stop()
  const books = createBookStore({ afterCommit: h.db.afterCommit })
  const at = new Date().toISOString()
  const mine = order({ price: 100 })
  await h.db.tx(async (tx) => {
    const book = (await books.lock(tx, [{ assetName: 'THYAO' }])).get('THYAO')!
    apply(book, { type: 'MarketSettingsChanged', data: { assetName: 'THYAO', crossing: false, changedBy: 'admin', changedAt: at } }, at)
  })
  await h.db
    .tx(async (tx) => {
      const book = (await books.lock(tx, [{ assetName: 'THYAO', orderId: mine.orderId }])).get('THYAO')!
      apply(book, { type: 'OrderConfirmed', data: mine }, at)
      throw new Error('rolled back after the engine changed the book in memory')
    })
    .catch(() => {})
  // Another instance applies one command: the stored version is now where the rolled-back copy says it is.
  const theirs = order({ side: 'SELL', price: 120, size: 7 })
  await h.db.query(
    `INSERT INTO book_orders (order_id, asset_name, customer_id, side, price, size, remaining, tier, placed_at, seq, resting, updated_at)
     VALUES ($1, 'THYAO', $2, 'SELL', 120, 7, 7, 'STANDARD', now(), 0, true, now())`,
    [theirs.orderId, theirs.customerId],
  )
  await h.db.query(`UPDATE books SET version = version + 1 WHERE asset_name = 'THYAO'`)

  const seen = await h.db.tx(async (tx) => {
    const book = (await books.lock(tx, [{ assetName: 'THYAO' }])).get('THYAO')!
    return [...book.orders.keys()]
  })
  assert.deepEqual(seen, [theirs.orderId], 'the book as stored: their order, not the rolled-back one')
})

test('when a cancel is sent again after a restart (its first answer lost), then the processor answers with the same remainder', async (t) => {
  const h = await setup(t)
  const first = await h.start()
  const bid = order({ size: 6 })
  await h.send('OrderConfirmed', bid)
  await h.send('OrderCancelRequested', cancelOf(bid))
  assert.equal((await h.next('OrderRemovedFromBook', bid.orderId)).data.remainingSize, 6)
  await first.stop()

  await h.start()
  const again = await h.send('OrderCancelRequested', cancelOf(bid))
  const answers = await h.events.until((all) => all.some((e) => e.type === 'OrderRemovedFromBook' && e.causationId === again.id), {
    what: 'the answer to the repeated cancel',
  })
  const answer = answers.find((e) => e.type === 'OrderRemovedFromBook' && e.causationId === again.id) as Envelope<'OrderRemovedFromBook'>
  assert.equal(answer.data.remainingSize, 6)
})
