import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { EventData } from '@brokerage/contracts'
import { bookOf, depth, emptyBook, type Book, type Side, type Tier } from './engine/book.js'
import { apply, type EngineCommand } from './engine/engine.js'

const AT = '2025-05-01T10:00:00.000Z'

function confirmed(
  o: { side?: Side; price?: number; size?: number; tier?: Tier; createdAt?: string; orderId?: string } = {},
): EngineCommand {
  const data: EventData<'OrderConfirmed'> = {
    orderId: o.orderId ?? randomUUID(),
    customerId: randomUUID(),
    assetName: 'THYAO',
    side: o.side ?? 'BUY',
    size: o.size ?? 10,
    price: o.price ?? 100,
    tier: o.tier ?? 'STANDARD',
    createdAt: o.createdAt ?? '2025-05-01T09:00:00.000Z',
    confirmedAt: AT,
  }
  return { type: 'OrderConfirmed', data }
}

const cancelOf = (orderId: string): EngineCommand => ({
  type: 'OrderCancelRequested',
  data: { orderId, customerId: randomUUID(), assetName: 'THYAO', reason: 'REQUESTED', requestedAt: AT },
})

const idOf = (c: EngineCommand) => (c.type === 'MarketSettingsChanged' ? '' : c.data.orderId)

/** Applies commands in turn, checking that no input book is ever changed. */
function run(book: Book, ...commands: EngineCommand[]) {
  const events = []
  for (const c of commands) {
    const before = structuredClone(book)
    const result = apply(Object.freeze(book), c, AT)
    assert.deepEqual(book, before, 'apply does not change the book it is given')
    book = result.book
    events.push(...result.events)
  }
  return { book, events }
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

  const { book, events } = run(
    emptyBook('THYAO'),
    standardEarly,
    vipLater,
    dearAsk,
    premiumSameTime,
    betterPrice,
    vipSameTime,
    standardSecond,
    cheapAsk,
  )

  assert.deepEqual(events, [])
  assert.deepEqual(
    book.bids.map((o) => o.orderId),
    [betterPrice, vipSameTime, premiumSameTime, standardEarly, standardSecond, vipLater].map(idOf),
  )
  assert.deepEqual(
    book.asks.map((o) => o.orderId),
    [cheapAsk, dearAsk].map(idOf),
  )
  // Rebuilt from stored rows in any order, the book is the same.
  assert.deepEqual(bookOf({ ...book, resting: [...book.asks, ...book.bids].reverse() }), book)
})

test('when crossing is off, then orders that cross the book still rest and nothing trades', () => {
  const bid = confirmed({ side: 'BUY', price: 120 })
  const ask = confirmed({ side: 'SELL', price: 90 })
  const { book, events } = run(emptyBook('THYAO'), bid, ask)
  assert.equal(book.crossing, false)
  assert.deepEqual(events, [])
  assert.deepEqual([book.bids.length, book.asks.length], [1, 1])
})

test('when the book is read by depth, then levels aggregate unfilled size and order count, best first', () => {
  const { book } = run(
    emptyBook('THYAO'),
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
  const { book, events } = run(emptyBook('THYAO'), keep, go, cancelOf(idOf(go)))
  assert.deepEqual(
    book.asks.map((o) => o.orderId),
    [],
  )
  assert.equal(book.bids.length, 1)
  assert.deepEqual(events, [
    {
      type: 'OrderRemovedFromBook',
      data: {
        orderId: idOf(go),
        customerId: go.type === 'OrderConfirmed' ? go.data.customerId : '',
        assetName: 'THYAO',
        side: 'SELL',
        price: 150,
        remainingSize: 9,
        removedAt: AT,
      },
    },
  ])

  // Again: nothing is left, and the answer says so.
  const again = run(book, cancelOf(idOf(go)))
  assert.deepEqual(
    again.events.map((e) => [e.data.remainingSize, e.data.side, e.data.price]),
    [[0, 'SELL', 150]],
  )
})

test('when a cancel arrives before its order, then the order never rests and the answer goes out with its full size', () => {
  const late = confirmed({ side: 'BUY', price: 77, size: 4 })
  const early = run(emptyBook('THYAO'), cancelOf(idOf(late)))
  assert.deepEqual(early.events, [], 'no answer yet: side and price are not known')
  assert.equal(early.book.earlyCancels.length, 1)

  const { book, events } = run(early.book, late)
  assert.deepEqual(book.bids, [])
  assert.deepEqual(book.earlyCancels, [])
  assert.deepEqual(
    events.map((e) => [e.data.orderId, e.data.remainingSize, e.data.price]),
    [[idOf(late), 4, 77]],
  )
})

test('when the same order is confirmed twice, then it rests once', () => {
  const c = confirmed()
  const { book, events } = run(emptyBook('THYAO'), c, c)
  assert.equal(book.bids.length, 1)
  assert.equal(book.nextSeq, 2)
  assert.deepEqual(events, [])
})

test('when market settings change, then the book takes the crossing flag', () => {
  const { book } = run(emptyBook('THYAO'), {
    type: 'MarketSettingsChanged',
    data: { assetName: 'THYAO', crossing: true, changedBy: 'admin', changedAt: AT },
  })
  assert.equal(book.crossing, true)
})
