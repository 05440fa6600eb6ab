import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { EventData } from '@brokerage/contracts'
import { seededRandom as prng } from '@brokerage/platform/testing'
import {
  bookOf,
  depth,
  emptyBook,
  restingOrders,
  tradeIdOf,
  type Book,
  type BookOrder,
  type EarlyCancel,
  type Side,
  type Tier,
} from './engine/book.js'
import { apply, type EngineCommand, type EngineEvent } from './engine/engine.js'

// The engine against a model written for obviousness, not speed (whole sides sorted by a
// comparator after every change), on long seeded random streams; and the caller's contract:
// the changes it reports, written to a store, rebuild the same book at any point.

const ASSET = 'THYAO'
const AT = '2025-05-01T10:00:00.000Z'
const TIERS: Tier[] = ['STANDARD', 'PREMIUM', 'VIP']
const RANK: Record<Tier, number> = { VIP: 0, PREMIUM: 1, STANDARD: 2 }

/** The rules of SPEC §2 as plainly as they can be written. */
function model() {
  const resting: BookOrder[] = []
  const closed = new Map<string, BookOrder>()
  const early = new Map<string, EarlyCancel>()
  let crossing = false
  let nextSeq = 1
  let tradeSeq = 0
  const ids = emptyBook(ASSET)
  const better = (a: BookOrder, b: BookOrder) =>
    (a.side === 'BUY' ? b.price - a.price : a.price - b.price) ||
    Date.parse(a.placedAt) - Date.parse(b.placedAt) ||
    RANK[a.tier] - RANK[b.tier] ||
    a.seq - b.seq
  const side = (s: Side) => resting.filter((o) => o.side === s).sort(better)
  const close = (o: BookOrder) => {
    resting.splice(resting.indexOf(o), 1)
    o.resting = false
    closed.set(o.orderId, o)
  }
  const trade = (
    price: number,
    size: number,
    buy: BookOrder | null,
    sell: BookOrder | null,
    trigger: 'CROSSING' | 'MATCH_REQUEST',
  ): EngineEvent => {
    const l = (o: BookOrder | null) => o && { orderId: o.orderId, customerId: o.customerId, limitPrice: o.price }
    tradeSeq++
    return {
      type: 'OrderMatched',
      data: { tradeId: tradeIdOf(ids, tradeSeq), assetName: ASSET, price, size, buy: l(buy), sell: l(sell), trigger, matchedAt: AT },
    }
  }
  const removed = (o: BookOrder, remainingSize: number): EngineEvent => ({
    type: 'OrderRemovedFromBook',
    data: { orderId: o.orderId, customerId: o.customerId, assetName: ASSET, side: o.side, price: o.price, remainingSize, removedAt: AT },
  })

  // What each cancel took off: a repeated cancel is answered with it.
  const cancelled = new Map<string, number>()

  function apply(c: EngineCommand): EngineEvent[] {
    if (c.type === 'MarketSettingsChanged') {
      crossing = c.data.crossing
      return []
    }
    const open = resting.find((o) => o.orderId === c.data.orderId)
    const done = closed.get(c.data.orderId)
    if (c.type === 'MatchRequested') {
      if (!open) return []
      const e = trade(open.price, open.remaining, open.side === 'BUY' ? open : null, open.side === 'SELL' ? open : null, 'MATCH_REQUEST')
      open.remaining = 0
      close(open)
      return [e]
    }
    if (c.type === 'OrderCancelRequested') {
      if (open) {
        const left = open.remaining
        open.remaining = 0
        close(open)
        cancelled.set(open.orderId, left)
        return [removed(open, left)]
      }
      if (done) return [removed(done, cancelled.get(done.orderId) ?? 0)]
      if (!early.has(c.data.orderId)) early.set(c.data.orderId, { ...c.data })
      return []
    }
    if (open || done) return []
    const d = c.data
    const o: BookOrder = {
      orderId: d.orderId,
      customerId: d.customerId,
      side: d.side,
      price: d.price,
      size: d.size,
      remaining: d.size,
      tier: d.tier,
      placedAt: d.createdAt,
      seq: nextSeq++,
      resting: true,
    }
    if (early.delete(d.orderId)) {
      o.remaining = 0
      o.resting = false
      closed.set(o.orderId, o)
      cancelled.set(o.orderId, o.size)
      return [removed(o, o.size)]
    }
    const events: EngineEvent[] = []
    if (crossing) {
      for (const r of side(o.side === 'BUY' ? 'SELL' : 'BUY')) {
        if (o.remaining === 0 || (o.side === 'BUY' ? r.price > o.price : r.price < o.price)) break
        if (r.customerId === o.customerId) continue
        const q = Math.min(o.remaining, r.remaining)
        events.push(trade(r.price, q, o.side === 'BUY' ? o : r, o.side === 'BUY' ? r : o, 'CROSSING'))
        o.remaining -= q
        r.remaining -= q
        if (r.remaining === 0) close(r)
      }
    }
    if (o.remaining > 0) resting.push(o)
    else {
      o.resting = false
      closed.set(o.orderId, o)
    }
    return events
  }
  return { apply, side, state: () => ({ crossing, nextSeq, tradeSeq }) }
}

/** What the caller keeps in its database, written only from the engine's reported changes. */
function store() {
  const rows = new Map<string, BookOrder>()
  const earlyCancels = new Map<string, EarlyCancel>()
  let header = { crossing: false, nextSeq: 1, tradeSeq: 0 }
  return {
    write(changed: ReturnType<typeof apply>['changed']) {
      for (const o of changed.added) {
        assert.ok(!rows.has(o.orderId), `added twice: ${o.orderId}`)
        rows.set(o.orderId, { ...o })
      }
      for (const o of changed.updated) {
        assert.ok(rows.has(o.orderId), `updated before added: ${o.orderId}`)
        rows.set(o.orderId, { ...o })
      }
      if (changed.book) header = { ...changed.book }
      if (changed.earlyCancelAdded) earlyCancels.set(changed.earlyCancelAdded.orderId, changed.earlyCancelAdded)
      if (changed.earlyCancelRemoved) earlyCancels.delete(changed.earlyCancelRemoved.orderId)
    },
    closed: (orderId: string) => {
      const row = rows.get(orderId)
      return row && !row.resting ? { ...row } : undefined
    },
    load: (): Book => bookOf({ assetName: ASSET, ...header, orders: [...rows.values()], earlyCancels: [...earlyCancels.values()] }),
  }
}

function commands(seed: number, n: number): EngineCommand[] {
  const random = prng(seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
  const customers = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  const placed: Array<EventData<'OrderConfirmed'>> = []
  const out: EngineCommand[] = []
  let clock = Date.parse('2025-05-01T09:00:00.000Z')
  let uid = 0
  const newOrder = (): EventData<'OrderConfirmed'> => {
    if (random() < 0.3) clock += 1
    // A few arrive after orders placed later than them.
    const createdAt = new Date(clock - (random() < 0.1 ? Math.floor(random() * 4) : 0)).toISOString()
    return {
      orderId: `10000000-0000-4000-8000-${String(uid++).padStart(12, '0')}`,
      customerId: pick(customers),
      assetName: ASSET,
      side: random() < 0.5 ? 'BUY' : 'SELL',
      size: 1 + Math.floor(random() * 10),
      price: 95 + Math.floor(random() * 11),
      tier: pick(TIERS),
      createdAt,
      confirmedAt: AT,
    }
  }
  const ref = (o: EventData<'OrderConfirmed'>) => ({ orderId: o.orderId, customerId: o.customerId, assetName: ASSET })
  for (let i = 0; i < n; i++) {
    const r = random()
    if (r < 0.5 || placed.length === 0) {
      const o = newOrder()
      placed.push(o)
      out.push({ type: 'OrderConfirmed', data: o })
    } else if (r < 0.68) {
      out.push({ type: 'OrderCancelRequested', data: { ...ref(pick(placed)), reason: 'REQUESTED', requestedAt: AT } })
    } else if (r < 0.78) {
      out.push({ type: 'MatchRequested', data: { ...ref(pick(placed)), requestedBy: 'broker', requestedAt: AT } })
    } else if (r < 0.86) {
      // A cancel before its order, which arrives a little later.
      const o = newOrder()
      out.push({ type: 'OrderCancelRequested', data: { ...ref(o), reason: 'REQUESTED', requestedAt: AT } })
      placed.push(o)
      out.push({ type: 'OrderConfirmed', data: o })
    } else if (r < 0.94) {
      out.push({ type: 'OrderConfirmed', data: pick(placed) })
    } else {
      out.push({ type: 'MarketSettingsChanged', data: { assetName: ASSET, crossing: random() < 0.7, changedBy: 'admin', changedAt: AT } })
    }
  }
  return out
}

test('when long random command streams run, then the engine gives the same events and book as the plain model', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const m = model()
    const book = emptyBook(ASSET)
    const all = commands(seed, 3000)
    let trades = 0
    for (const [i, c] of all.entries()) {
      const expected = m.apply(c)
      const got = apply(book, c, AT).events
      assert.deepEqual(got, expected, `seed ${seed}, command ${i} (${c.type})`)
      trades += got.filter((e) => e.type === 'OrderMatched').length
    }
    assert.deepEqual(restingOrders(book, 'BUY'), m.side('BUY'))
    assert.deepEqual(restingOrders(book, 'SELL'), m.side('SELL'))
    assert.deepEqual({ crossing: book.crossing, nextSeq: book.nextSeq, tradeSeq: book.tradeSeq }, m.state())
    const levels = (orders: BookOrder[]) => {
      const out = new Map<number, { price: number; size: number; orders: number }>()
      for (const o of orders) {
        const l = out.get(o.price) ?? out.set(o.price, { price: o.price, size: 0, orders: 0 }).get(o.price)!
        l.size += o.remaining
        l.orders++
      }
      return [...out.values()]
    }
    assert.deepEqual(depth(book), { bids: levels(m.side('BUY')), asks: levels(m.side('SELL')) })
    assert.ok(trades > 100, `seed ${seed}: the stream trades (${trades})`)
  }
})

test('when the reported changes are stored and closed orders are loaded per command, then a book reloaded from the store at any point goes on exactly like the one kept in memory', () => {
  for (const seed of [11, 12, 13]) {
    const all = commands(seed, 3000)
    const kept = emptyBook(ASSET)
    const db = store()
    let reloaded = emptyBook(ASSET)
    for (const [i, c] of all.entries()) {
      const a = apply(kept, c, AT)
      // The caller's side of the closed cache at its leanest: empty, but for the command's order.
      reloaded.closed.clear()
      const closed = c.type === 'MarketSettingsChanged' ? undefined : db.closed(c.data.orderId)
      if (closed) reloaded.closed.set(closed.orderId, closed)
      const b = apply(reloaded, c, AT)
      assert.deepEqual(b, a, `seed ${seed}, command ${i} (${c.type})`)
      db.write(b.changed)
      // Like a restart: the book loaded from the rows.
      if (i % 97 === 0) reloaded = db.load()
    }
    const last = db.load()
    assert.deepEqual(restingOrders(last, 'BUY'), restingOrders(kept, 'BUY'))
    assert.deepEqual(restingOrders(last, 'SELL'), restingOrders(kept, 'SELL'))
    assert.deepEqual([last.crossing, last.nextSeq, last.tradeSeq], [kept.crossing, kept.nextSeq, kept.tradeSeq])
  }
})
