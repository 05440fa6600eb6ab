import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { EventData } from '@brokerage/contracts'
import { bookOf, depth, emptyBook, restingOrders, timeOf, type Book, type BookOrder, type Side, type Tier } from './engine/book.js'
import { apply, type EngineCommand, type EngineEvent } from './engine/engine.js'

const AT = '2025-05-01T10:00:00.000Z'
const T0 = '2025-05-01T09:00:00.000Z'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

type Confirmed = { type: 'OrderConfirmed'; data: EventData<'OrderConfirmed'> }

function confirmed(
  o: { side?: Side; price?: number; size?: number; tier?: Tier; createdAt?: string; orderId?: string; customerId?: string } = {},
): Confirmed {
  return {
    type: 'OrderConfirmed',
    data: {
      orderId: o.orderId ?? randomUUID(),
      customerId: o.customerId ?? randomUUID(),
      assetName: 'THYAO',
      side: o.side ?? 'BUY',
      size: o.size ?? 10,
      price: o.price ?? 100,
      tier: o.tier ?? 'STANDARD',
      createdAt: o.createdAt ?? T0,
      confirmedAt: AT,
    },
  }
}

const cancelOf = (c: Confirmed): EngineCommand => ({
  type: 'OrderCancelRequested',
  data: { orderId: c.data.orderId, customerId: c.data.customerId, assetName: 'THYAO', reason: 'REQUESTED', requestedAt: AT },
})

const matchOf = (c: Confirmed): EngineCommand => ({
  type: 'MatchRequested',
  data: { orderId: c.data.orderId, customerId: c.data.customerId, assetName: 'THYAO', requestedBy: 'broker-1', requestedAt: AT },
})

const crossing = (on: boolean): EngineCommand => ({
  type: 'MarketSettingsChanged',
  data: { assetName: 'THYAO', crossing: on, changedBy: 'admin', changedAt: AT },
})

function run(book: Book, ...commands: EngineCommand[]) {
  const events: EngineEvent[] = []
  for (const c of commands) events.push(...apply(book, c, AT).events)
  return events
}

const ids = (orders: BookOrder[]) => orders.map((o) => o.orderId)
const id = (c: Confirmed) => c.data.orderId
const leg = (c: Confirmed) => ({ orderId: c.data.orderId, customerId: c.data.customerId, limitPrice: c.data.price })
/** The trades, without their ids. */
const trades = (events: readonly EngineEvent[]) =>
  events.map((e) => {
    assert.equal(e.type, 'OrderMatched')
    const { tradeId: _, ...rest } = e.data as EventData<'OrderMatched'>
    return rest
  })
const crossingBook = () => {
  const book = emptyBook('THYAO')
  run(book, crossing(true))
  return book
}

test('when orders rest, then each side is in price–time order, the tier breaks ties within one timestamp, VIP first', () => {
  const t1 = '2025-05-01T09:00:00.000Z'
  const t2 = '2025-05-01T09:00:00.001Z'
  const standardEarly = confirmed({ price: 100, createdAt: t1, tier: 'STANDARD' })
  const vipSameTime = confirmed({ price: 100, createdAt: t1, tier: 'VIP' })
  const premiumSameTime = confirmed({ price: 100, createdAt: t1, tier: 'PREMIUM' })
  const vipLater = confirmed({ price: 100, createdAt: t2, tier: 'VIP' })
  const betterPrice = confirmed({ price: 101, createdAt: t2, tier: 'STANDARD' })
  const standardSecond = confirmed({ price: 100, createdAt: t1, tier: 'STANDARD' })
  const cheapAsk = confirmed({ side: 'SELL', price: 105 })
  const dearAsk = confirmed({ side: 'SELL', price: 110, tier: 'VIP' })
  const book = emptyBook('THYAO')

  const events = run(book, standardEarly, vipLater, dearAsk, premiumSameTime, betterPrice, vipSameTime, standardSecond, cheapAsk)

  assert.deepEqual(events, [])
  assert.deepEqual(
    ids(restingOrders(book, 'BUY')),
    [betterPrice, vipSameTime, premiumSameTime, standardEarly, standardSecond, vipLater].map(id),
  )
  assert.deepEqual(ids(restingOrders(book, 'SELL')), [cheapAsk, dearAsk].map(id))
  // Rebuilt from stored rows in any order, the book is the same.
  const rows = [...restingOrders(book, 'SELL'), ...restingOrders(book, 'BUY')].reverse()
  const rebuilt = bookOf({ assetName: 'THYAO', crossing: false, nextSeq: book.nextSeq, tradeSeq: 0, orders: rows })
  assert.deepEqual(restingOrders(rebuilt, 'BUY'), restingOrders(book, 'BUY'))
  assert.deepEqual(restingOrders(rebuilt, 'SELL'), restingOrders(book, 'SELL'))
  assert.deepEqual(depth(rebuilt), depth(book))
})

test('when an order placed earlier arrives after later ones at its price, then it goes before them', () => {
  const later = confirmed({ price: 100, createdAt: '2025-05-01T09:00:00.005Z', tier: 'STANDARD' })
  const laterVip = confirmed({ price: 100, createdAt: '2025-05-01T09:00:00.005Z', tier: 'VIP' })
  const sameTimeStandard = confirmed({ price: 100, createdAt: '2025-05-01T09:00:00.002Z', tier: 'STANDARD' })
  const earliest = confirmed({ price: 100, createdAt: '2025-05-01T09:00:00.001Z', tier: 'STANDARD' })
  const lateVip = confirmed({ price: 100, createdAt: '2025-05-01T09:00:00.002Z', tier: 'VIP' })
  const book = emptyBook('THYAO')

  run(book, later, laterVip, sameTimeStandard, earliest, lateVip)

  assert.deepEqual(ids(restingOrders(book, 'BUY')), [earliest, lateVip, sameTimeStandard, laterVip, later].map(id))
})

test('when crossing is off, then orders that cross the book still rest and nothing trades', () => {
  const book = emptyBook('THYAO')
  const events = run(book, confirmed({ side: 'BUY', price: 120 }), confirmed({ side: 'SELL', price: 90 }))
  assert.equal(book.crossing, false)
  assert.deepEqual(events, [])
  assert.deepEqual([restingOrders(book, 'BUY').length, restingOrders(book, 'SELL').length], [1, 1])
})

test('when the book is read by depth, then levels aggregate unfilled size and order count, best first', () => {
  const book = emptyBook('THYAO')
  run(
    book,
    confirmed({ price: 100, size: 5 }),
    confirmed({ price: 101, size: 1 }),
    confirmed({ price: 100, size: 7 }),
    confirmed({ price: 99, size: 2 }),
    confirmed({ side: 'SELL', price: 104, size: 3 }),
    confirmed({ side: 'SELL', price: 103, size: 4 }),
  )
  assert.deepEqual(depth(book), {
    bids: [
      { price: 101, size: 1, orders: 1 },
      { price: 100, size: 12, orders: 2 },
      { price: 99, size: 2, orders: 1 },
    ],
    asks: [
      { price: 103, size: 4, orders: 1 },
      { price: 104, size: 3, orders: 1 },
    ],
  })
  assert.deepEqual(depth(book, 1), { bids: [{ price: 101, size: 1, orders: 1 }], asks: [{ price: 103, size: 4, orders: 1 }] })
})

test('when a resting order is cancelled, then its remainder leaves the book and OrderRemovedFromBook says how much', () => {
  const keep = confirmed({ price: 100 })
  const go = confirmed({ side: 'SELL', price: 150, size: 9 })
  const book = emptyBook('THYAO')
  run(book, keep, go)

  const { events, changed } = apply(book, cancelOf(go), AT)

  assert.deepEqual(restingOrders(book, 'SELL'), [])
  assert.equal(restingOrders(book, 'BUY').length, 1)
  assert.deepEqual(depth(book).asks, [])
  assert.deepEqual(events, [
    {
      type: 'OrderRemovedFromBook',
      data: {
        orderId: id(go),
        customerId: go.data.customerId,
        assetName: 'THYAO',
        side: 'SELL',
        price: 150,
        remainingSize: 9,
        removedAt: AT,
      },
    },
  ])
  assert.deepEqual(
    changed.updated.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(go), 0, false]],
  )

  // Again (its answer may have been lost): the same remainder, so the order service can still release it.
  assert.deepEqual(
    run(book, cancelOf(go)).map((e) => [e.type, (e.data as EventData<'OrderRemovedFromBook'>).remainingSize]),
    [['OrderRemovedFromBook', 9]],
  )
})

test('when a cancel arrives before its order, then the order never rests and the answer goes out with its full size', () => {
  const late = confirmed({ side: 'BUY', price: 77, size: 4 })
  const book = emptyBook('THYAO')
  const early = apply(book, cancelOf(late), AT)
  assert.deepEqual(early.events, [], 'no answer yet: side and price are not known')
  assert.equal(early.changed.earlyCancelAdded?.orderId, id(late))
  assert.equal(book.earlyCancels.size, 1)

  const { events, changed } = apply(book, late, AT)

  assert.deepEqual(restingOrders(book, 'BUY'), [])
  assert.equal(book.earlyCancels.size, 0)
  assert.equal(changed.earlyCancelRemoved?.orderId, id(late))
  assert.deepEqual(
    changed.added.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(late), 0, false]],
  )
  assert.deepEqual(
    events.map((e) => {
      const d = e.data as EventData<'OrderRemovedFromBook'>
      return [d.orderId, d.remainingSize, d.price]
    }),
    [[id(late), 4, 77]],
  )
})

test('when the same order is confirmed twice, then it rests once; confirmed again once closed, then nothing happens', () => {
  const c = confirmed()
  const book = emptyBook('THYAO')
  run(book, c)
  const again = apply(book, c, AT)
  assert.equal(restingOrders(book, 'BUY').length, 1)
  assert.equal(book.nextSeq, 2)
  assert.deepEqual(again, { events: [], changed: { added: [], updated: [], book: null, earlyCancelAdded: null, earlyCancelRemoved: null } })

  run(book, cancelOf(c))
  assert.deepEqual(run(book, c), [])
  assert.deepEqual(restingOrders(book, 'BUY'), [])
})

test('when market settings change, then the book takes the crossing flag and reports it changed', () => {
  const book = emptyBook('THYAO')
  assert.deepEqual(apply(book, crossing(true), AT).changed.book, { crossing: true, nextSeq: 1, tradeSeq: 0 })
  assert.equal(book.crossing, true)
  assert.equal(apply(book, crossing(true), AT).changed.book, null, 'unchanged: nothing to write')
})

test('when crossing is on and a BUY crosses the best ask, then it trades at the ask price and keeps its limit for the price improvement', () => {
  const book = crossingBook()
  const ask = confirmed({ side: 'SELL', price: 95, size: 10 })
  const bid = confirmed({ side: 'BUY', price: 100, size: 10 })
  run(book, ask)

  const { events, changed } = apply(book, bid, AT)

  assert.deepEqual(trades(events), [
    { assetName: 'THYAO', price: 95, size: 10, buy: leg(bid), sell: leg(ask), trigger: 'CROSSING', matchedAt: AT },
  ])
  assert.match((events[0]!.data as EventData<'OrderMatched'>).tradeId, UUID)
  assert.deepEqual(depth(book), { bids: [], asks: [] })
  assert.deepEqual(
    changed.added.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(bid), 0, false]],
  )
  assert.deepEqual(
    changed.updated.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(ask), 0, false]],
  )
  assert.deepEqual(changed.book, { crossing: true, nextSeq: 3, tradeSeq: 1 })
})

test('when crossing is on and a SELL crosses the best bid, then it trades at the bid price, above its own limit', () => {
  const book = crossingBook()
  const bid = confirmed({ side: 'BUY', price: 105, size: 3 })
  const ask = confirmed({ side: 'SELL', price: 100, size: 5 })
  run(book, bid)

  const events = run(book, ask)

  assert.deepEqual(trades(events), [
    { assetName: 'THYAO', price: 105, size: 3, buy: leg(bid), sell: leg(ask), trigger: 'CROSSING', matchedAt: AT },
  ])
  assert.deepEqual(depth(book), { bids: [], asks: [{ price: 100, size: 2, orders: 1 }] })
})

test('when a crossing order sweeps several levels, then it fills them best first in time order and its remainder rests at its limit', () => {
  const book = crossingBook()
  const a1 = confirmed({ side: 'SELL', price: 101, size: 2, createdAt: '2025-05-01T09:00:00.001Z' })
  const a2 = confirmed({ side: 'SELL', price: 101, size: 3, createdAt: '2025-05-01T09:00:00.002Z' })
  const b = confirmed({ side: 'SELL', price: 102, size: 4 })
  const beyond = confirmed({ side: 'SELL', price: 104, size: 5 })
  const bid = confirmed({ side: 'BUY', price: 103, size: 12 })
  run(book, a2, b, beyond, a1)

  const events = run(book, bid)

  assert.deepEqual(
    trades(events).map((t) => [t.sell?.orderId, t.price, t.size]),
    [
      [id(a1), 101, 2],
      [id(a2), 101, 3],
      [id(b), 102, 4],
    ],
  )
  assert.deepEqual(depth(book), { bids: [{ price: 103, size: 3, orders: 1 }], asks: [{ price: 104, size: 5, orders: 1 }] })
  assert.deepEqual(
    restingOrders(book, 'BUY').map((o) => [o.orderId, o.size, o.remaining]),
    [[id(bid), 12, 3]],
  )
})

test('when a crossing order is smaller than the resting one, then the resting order keeps its remainder and its place', () => {
  const book = crossingBook()
  const first = confirmed({ side: 'SELL', price: 100, size: 10, createdAt: '2025-05-01T09:00:00.001Z' })
  const second = confirmed({ side: 'SELL', price: 100, size: 10, createdAt: '2025-05-01T09:00:00.002Z' })
  run(book, first, second)

  const { events, changed } = apply(book, confirmed({ side: 'BUY', price: 100, size: 4 }), AT)

  assert.deepEqual(
    trades(events).map((t) => [t.sell?.orderId, t.size]),
    [[id(first), 4]],
  )
  assert.deepEqual(
    restingOrders(book, 'SELL').map((o) => [o.orderId, o.remaining]),
    [
      [id(first), 6],
      [id(second), 10],
    ],
  )
  assert.deepEqual(
    changed.updated.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(first), 6, true]],
  )
  assert.deepEqual(depth(book).asks, [{ price: 100, size: 16, orders: 2 }])
})

test('when the tier breaks a tie at one price and time, then the VIP order fills first', () => {
  const book = crossingBook()
  const standard = confirmed({ side: 'SELL', price: 100, size: 5, tier: 'STANDARD' })
  const vip = confirmed({ side: 'SELL', price: 100, size: 5, tier: 'VIP' })
  run(book, standard, vip)

  const events = run(book, confirmed({ side: 'BUY', price: 100, size: 5 }))

  assert.deepEqual(
    trades(events).map((t) => t.sell?.orderId),
    [id(vip)],
  )
})

test("when a crossing order meets its own customer's resting order, then it skips it, trades with the next one, and the skipped one keeps its place", () => {
  const book = crossingBook()
  const customerId = randomUUID()
  const own = confirmed({ side: 'SELL', price: 100, size: 5, customerId, createdAt: '2025-05-01T09:00:00.001Z' })
  const other = confirmed({ side: 'SELL', price: 100, size: 5, createdAt: '2025-05-01T09:00:00.002Z' })
  const next = confirmed({ side: 'SELL', price: 101, size: 5 })
  const bid = confirmed({ side: 'BUY', price: 101, size: 8, customerId })
  run(book, own, other, next)

  const events = run(book, bid)

  assert.deepEqual(
    trades(events).map((t) => [t.sell?.orderId, t.price, t.size]),
    [
      [id(other), 100, 5],
      [id(next), 101, 3],
    ],
  )
  assert.deepEqual(
    restingOrders(book, 'SELL').map((o) => [o.orderId, o.remaining]),
    [
      [id(own), 5],
      [id(next), 2],
    ],
  )
})

test("when only its own customer's orders cross it, then the order trades with nothing and rests (the book stays crossed for that customer alone)", () => {
  const book = crossingBook()
  const customerId = randomUUID()
  const own = confirmed({ side: 'BUY', price: 100, size: 5, customerId })
  run(book, own)

  assert.deepEqual(run(book, confirmed({ side: 'SELL', price: 90, size: 5, customerId })), [])
  assert.deepEqual(depth(book), { bids: [{ price: 100, size: 5, orders: 1 }], asks: [{ price: 90, size: 5, orders: 1 }] })

  // Another customer still trades with both, each at its resting price.
  const events = run(book, confirmed({ side: 'SELL', price: 100, size: 5 }))
  assert.deepEqual(
    trades(events).map((t) => [t.buy?.orderId, t.price]),
    [[id(own), 100]],
  )
})

test('when crossing is turned on over a crossed book, then resting orders stay; the next incoming order trades', () => {
  const book = emptyBook('THYAO')
  const bid = confirmed({ side: 'BUY', price: 110, size: 5 })
  const ask = confirmed({ side: 'SELL', price: 100, size: 5 })
  run(book, bid, ask)
  assert.deepEqual(run(book, crossing(true)), [])
  assert.equal(restingOrders(book, 'BUY').length + restingOrders(book, 'SELL').length, 2)

  const seller = confirmed({ side: 'SELL', price: 105, size: 2 })
  assert.deepEqual(
    trades(run(book, seller)).map((t) => [t.buy?.orderId, t.sell?.orderId, t.price, t.size]),
    [[id(bid), id(seller), 110, 2]],
  )
})

test('when a BUY is matched, then its whole remainder fills against the market at its limit price and it leaves the book', () => {
  const book = emptyBook('THYAO')
  const bid = confirmed({ side: 'BUY', price: 120, size: 7 })
  run(book, bid)

  const { events, changed } = apply(book, matchOf(bid), AT)

  assert.deepEqual(trades(events), [
    { assetName: 'THYAO', price: 120, size: 7, buy: leg(bid), sell: null, trigger: 'MATCH_REQUEST', matchedAt: AT },
  ])
  assert.deepEqual(depth(book), { bids: [], asks: [] })
  assert.deepEqual(
    changed.updated.map((o) => [o.orderId, o.remaining, o.resting]),
    [[id(bid), 0, false]],
  )
  assert.equal(changed.book?.tradeSeq, 1)
})

test('when a partly filled SELL is matched, then only its remainder fills against the market', () => {
  const book = crossingBook()
  const ask = confirmed({ side: 'SELL', price: 100, size: 10 })
  run(book, ask, confirmed({ side: 'BUY', price: 100, size: 4 }))

  const events = run(book, matchOf(ask))

  assert.deepEqual(
    trades(events).map((t) => [t.buy, t.sell, t.price, t.size, t.trigger]),
    [[null, leg(ask), 100, 6, 'MATCH_REQUEST']],
  )
})

test('when a match is repeated, then the order fills once; a cancel after it answers 0', () => {
  const book = emptyBook('THYAO')
  const bid = confirmed({ side: 'BUY', price: 120, size: 7 })
  run(book, bid, matchOf(bid))

  assert.deepEqual(apply(book, matchOf(bid), AT).events, [])
  assert.equal(book.tradeSeq, 1)
  assert.deepEqual(
    run(book, cancelOf(bid)).map((e) => (e.data as EventData<'OrderRemovedFromBook'>).remainingSize),
    [0],
  )
})

test('when a match names an order the book has never seen, then nothing happens', () => {
  const book = emptyBook('THYAO')
  assert.deepEqual(run(book, matchOf(confirmed())), [])
  assert.equal(book.tradeSeq, 0)
})

test('when a match names a cancelled order, then nothing fills', () => {
  const book = emptyBook('THYAO')
  const bid = confirmed()
  run(book, bid, cancelOf(bid))
  assert.deepEqual(run(book, matchOf(bid)), [])
})

test('when a partly filled order is cancelled, then only the unfilled remainder is taken off', () => {
  const book = crossingBook()
  const ask = confirmed({ side: 'SELL', price: 100, size: 10 })
  run(book, ask, confirmed({ side: 'BUY', price: 100, size: 3 }))

  const events = run(book, cancelOf(ask))

  assert.deepEqual(
    events.map((e) => [e.type, (e.data as EventData<'OrderRemovedFromBook'>).remainingSize]),
    [['OrderRemovedFromBook', 7]],
  )
})

test('when a fully filled order is cancelled, then the answer is remainingSize 0', () => {
  const book = crossingBook()
  const ask = confirmed({ side: 'SELL', price: 100, size: 3 })
  run(book, ask, confirmed({ side: 'BUY', price: 100, size: 3 }))
  assert.deepEqual(
    run(book, cancelOf(ask)).map((e) => (e.data as EventData<'OrderRemovedFromBook'>).remainingSize),
    [0],
  )
})

test('when trades happen, then their ids are UUIDs derived from the asset and a per-book sequence, so a replay gives the same ids', () => {
  const commands: EngineCommand[] = [crossing(true)]
  for (let i = 0; i < 20; i++) commands.push(confirmed({ side: i % 2 ? 'BUY' : 'SELL', price: 100, size: 1 + (i % 3) }))
  const first = emptyBook('THYAO')
  const second = emptyBook('THYAO')

  const a = run(first, ...commands)
  const b = run(second, ...commands)

  assert.deepEqual(a, b)
  const tradeIds = a.map((e) => (e.data as EventData<'OrderMatched'>).tradeId)
  assert.ok(tradeIds.length > 5)
  assert.equal(new Set(tradeIds).size, tradeIds.length)
  for (const t of tradeIds) assert.match(t, UUID)
  const other = emptyBook('GARAN')
  const garan = run(
    other,
    { ...crossing(true), data: { ...crossing(true).data, assetName: 'GARAN' } } as EngineCommand,
    ...commands.slice(1, 3).map((c) => ({ ...c, data: { ...c.data, assetName: 'GARAN' } }) as EngineCommand),
  )
  assert.notEqual((garan[0]!.data as EventData<'OrderMatched'>).tradeId, tradeIds[0], 'another asset, other ids')
})

test('when a command names another asset, then the engine refuses it and the book is unchanged', () => {
  const book = emptyBook('GARAN')
  assert.throws(() => apply(book, confirmed(), AT), /OrderConfirmed for THYAO applied to the book of GARAN/)
  assert.equal(book.orders.size, 0)
})

test('when stored rows cannot be a book, then bookOf says which row', () => {
  const row: BookOrder = {
    orderId: randomUUID(),
    customerId: randomUUID(),
    side: 'BUY',
    price: 100,
    size: 5,
    remaining: 0,
    tier: 'VIP',
    placedAt: T0,
    seq: 1,
    resting: true,
  }
  const state = { assetName: 'THYAO', crossing: false, nextSeq: 2, tradeSeq: 0 }
  assert.throws(() => bookOf({ ...state, orders: [row] }), /remaining 0 of 5/)
  assert.throws(() => bookOf({ ...state, nextSeq: 1, orders: [{ ...row, remaining: 5 }] }), /seq 1 is not below the book's nextSeq 1/)
  assert.equal(bookOf({ ...state, orders: [{ ...row, resting: false }] }).closed.size, 1, 'a closed row goes to closed')
})

test('when a time is read by hand, then it is the time Date.parse reads, in the canonical form and in others', () => {
  const times = [
    '1970-01-01T00:00:00.000Z',
    '2024-02-29T23:59:59.999Z',
    '2025-05-01T09:00:00.001Z',
    '2100-03-01T00:00:00.000Z',
    '1969-12-31T23:59:59.999Z',
  ]
  for (let t = -2e12; t < 5e12; t += 86_399_999_937) times.push(new Date(t).toISOString())
  // Other forms the schema allows go through Date.parse.
  times.push('2025-05-01T09:00:00Z', '2025-05-01T09:00:00.5Z', '2025-05-01T09:00:00.123456Z')
  for (const t of times) assert.equal(timeOf(t), Date.parse(t), t)
})

test('when a cancel is sent again (its answer was lost), then the repeat answers with what the first took off, also after a reload from the stored rows', () => {
  const book = emptyBook('THYAO')
  const bid = confirmed({ size: 10 })
  const early = confirmed({ size: 4 })
  run(book, bid, cancelOf(early))
  const first = apply(book, cancelOf(bid), AT)
  const removedSize = (events: readonly EngineEvent[]) => events.map((e) => (e.type === 'OrderRemovedFromBook' ? e.data.remainingSize : -1))
  assert.deepEqual(removedSize(first.events), [10])
  assert.deepEqual(removedSize(apply(book, cancelOf(bid), AT).events), [10], 'the repeat carries the same remainder')
  const arrived = apply(book, early, AT)
  assert.deepEqual(removedSize(arrived.events), [4], 'an order whose cancel came first is answered with its size')
  assert.deepEqual(removedSize(apply(book, cancelOf(early), AT).events), [4])

  // As the store keeps them: the closed rows carry what the cancels took off.
  const rows = [...first.changed.updated, ...arrived.changed.added]
  assert.deepEqual(
    rows.map((r) => [r.orderId, r.remaining, r.cancelled]),
    [
      [id(bid), 0, 10],
      [id(early), 0, 4],
    ],
  )
  const reloaded = bookOf({ assetName: 'THYAO', crossing: false, nextSeq: book.nextSeq, tradeSeq: 0, orders: rows })
  assert.deepEqual(removedSize(apply(reloaded, cancelOf(bid), AT).events), [10])
})
