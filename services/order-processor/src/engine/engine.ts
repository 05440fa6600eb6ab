import type { EventData } from '@brokerage/contracts'
import { Order, rowOf, tradeIdOf, type Book, type BookOrder, type BookSide, type EarlyCancel } from './book.js'

// The matching engine: apply(book, command, at) changes one asset's book in place and returns
// the events to publish and what changed, for the caller to persist. No I/O, no clock (`at` is
// the caller's), no randomness: the same commands in the same order give the same book, the
// same events and the same trade ids.
//
// Contract with the caller (store.ts, handlers.ts):
// - One Book per asset, in memory: emptyBook(asset) for a new asset, bookOf(rows) on start.
//   apply() is called for that asset's commands one at a time, in engine.commands order.
// - Persist `changed` in the same transaction as the outbox rows of `events`:
//     added          → INSERT book_orders rows (full row, with `resting`; an order may be added
//                      already closed: filled at once, or cancelled early);
//     updated        → UPDATE remaining, resting of stored rows;
//     book           → UPDATE books SET crossing, next_seq, trade_seq (null: unchanged);
//     earlyCancelAdded / earlyCancelRemoved → INSERT / DELETE early_cancels.
//   The rows are copies, taken when the command was applied. The result is read-only (its
//   empty arrays are shared).
// - The book is changed in place, so when that transaction fails the in-memory book is ahead
//   of the store: drop it and load it again (bookOf) before the next command of that asset.
// - `book.closed` is a cache of orders that no longer rest (filled or taken off). The engine
//   adds every order it closes; the caller may evict entries at any time, but before applying
//   a command whose order is neither in `book.orders` nor in `book.closed`, it must put the
//   stored row there if the store has the order closed (resting = false). Without it a repeated
//   OrderConfirmed would book a closed order again, a repeated MatchRequested could not be
//   told from one for an unknown order (both do nothing, so that one is harmless), and a cancel
//   of a filled order would wait as an early cancel instead of answering remainingSize 0.
// - `book.earlyCancels` likewise: the caller loads the stored ones (all, or the command's).
//
// Rules (SPEC §2):
// - Crossing off (the default): an OrderConfirmed rests; only MatchRequested fills.
// - Crossing on: an incoming order that crosses the opposite best price trades at once at the
//   resting order's price, level after level while it still crosses; what is left rests.
//   A BUY that trades below its limit keeps limitPrice in its leg: the asset service returns
//   q × (limitPrice − price) to it (price improvement).
//   Turning crossing on does not match orders already resting; it applies to the next ones.
// - Self-trade prevention: an incoming order skips the resting orders of its own customer
//   (they keep their place and size) and goes on with the next ones; if it still has a
//   remainder it rests, even where that leaves the book crossed between that customer's own
//   orders. Skipping rather than stopping lets the order still trade with everyone else at
//   the prices it asked for, and never cancels anything the customer did not ask to cancel.
// - MatchRequested fills the whole remainder against the outside market at the limit price:
//   one OrderMatched whose other leg is null (the MARKET account); the order leaves the book.
//   For an order that no longer rests (filled, cancelled, or matched already) it does nothing,
//   so a repeated match fills at most once.
// - OrderCancelRequested takes the remainder off: OrderRemovedFromBook with remainingSize;
//   for a closed order, what an earlier cancel took off (0 if it was filled); before its OrderConfirmed, the cancel waits (early cancel) and is
//   answered, with the full size, when the order arrives, which then never rests.

export type EngineCommand =
  | { type: 'OrderConfirmed'; data: EventData<'OrderConfirmed'> }
  | { type: 'OrderCancelRequested'; data: EventData<'OrderCancelRequested'> }
  | { type: 'MatchRequested'; data: EventData<'MatchRequested'> }
  | { type: 'MarketSettingsChanged'; data: EventData<'MarketSettingsChanged'> }

export type EngineEvent =
  { type: 'OrderRemovedFromBook'; data: EventData<'OrderRemovedFromBook'> } | { type: 'OrderMatched'; data: EventData<'OrderMatched'> }

export interface Changes {
  added: readonly BookOrder[]
  updated: readonly BookOrder[]
  book: { crossing: boolean; nextSeq: number; tradeSeq: number } | null
  earlyCancelAdded: EarlyCancel | null
  earlyCancelRemoved: EarlyCancel | null
}

export interface EngineResult {
  events: readonly EngineEvent[]
  changed: Changes
}

// Most commands change little: the empty parts are shared (frozen) rather than allocated.
const NONE: readonly never[] = Object.freeze([])
const NOTHING: EngineResult = Object.freeze({
  events: NONE,
  changed: Object.freeze({ added: NONE, updated: NONE, book: null, earlyCancelAdded: null, earlyCancelRemoved: null }),
})

function result(
  events: readonly EngineEvent[],
  added: readonly BookOrder[],
  updated: readonly BookOrder[],
  book: Book | null,
  earlyCancelAdded: EarlyCancel | null = null,
  earlyCancelRemoved: EarlyCancel | null = null,
): EngineResult {
  return { events, changed: { added, updated, book: book && header(book), earlyCancelAdded, earlyCancelRemoved } }
}

/** `at`: the time the command is applied (ISO-8601), stamped on the events. */
export function apply(book: Book, command: EngineCommand, at: string): EngineResult {
  if (command.data.assetName !== book.assetName) {
    throw new Error(`${command.type} for ${command.data.assetName} applied to the book of ${book.assetName}`)
  }
  switch (command.type) {
    case 'OrderConfirmed':
      return confirm(book, command.data, at)
    case 'OrderCancelRequested':
      return cancel(book, command.data, at)
    case 'MatchRequested':
      return match(book, command.data, at)
    case 'MarketSettingsChanged':
      return settings(book, command.data)
  }
}

const header = (book: Book) => ({ crossing: book.crossing, nextSeq: book.nextSeq, tradeSeq: book.tradeSeq })

function sideOf(book: Book, side: BookOrder['side']): BookSide {
  return side === 'BUY' ? book.bids : book.asks
}

/** Takes a resting order out of the book (its remaining is then 0) and keeps it as closed. */
function close(book: Book, o: Order): void {
  sideOf(book, o.side).remove(o)
  o.remaining = 0
  o.resting = false
  book.orders.delete(o.orderId)
  book.closed.set(o.orderId, o)
}

function removed(book: Book, o: BookOrder, remainingSize: number, at: string): EngineEvent {
  return {
    type: 'OrderRemovedFromBook',
    data: {
      orderId: o.orderId,
      customerId: o.customerId,
      assetName: book.assetName,
      side: o.side,
      price: o.price,
      remainingSize,
      removedAt: at,
    },
  }
}

const leg = (o: Order) => ({ orderId: o.orderId, customerId: o.customerId, limitPrice: o.price })

function matched(
  book: Book,
  price: number,
  size: number,
  buy: Order | null,
  sell: Order | null,
  trigger: 'CROSSING' | 'MATCH_REQUEST',
  at: string,
): EngineEvent {
  return {
    type: 'OrderMatched',
    data: {
      tradeId: tradeIdOf(book, ++book.tradeSeq),
      assetName: book.assetName,
      price,
      size,
      buy: buy && leg(buy),
      sell: sell && leg(sell),
      trigger,
      matchedAt: at,
    },
  }
}

const positive = (n: number) => Number.isSafeInteger(n) && n > 0

function confirm(book: Book, data: EventData<'OrderConfirmed'>, at: string): EngineResult {
  // Booked already, or gone already: the confirmation was seen before.
  if (book.orders.has(data.orderId) || book.closed.has(data.orderId)) return NOTHING
  if (!positive(data.size) || !positive(data.price)) {
    throw new Error(`order ${data.orderId}: size ${data.size} and price ${data.price} must be positive integers`)
  }
  const o = new Order(
    data.orderId,
    data.customerId,
    data.side,
    data.price,
    data.size,
    data.size,
    data.tier,
    data.createdAt,
    book.nextSeq++,
    false,
  )
  const early = book.earlyCancels.get(data.orderId)
  if (early) {
    // Its cancel came first: the order never rests, and the answer the cancel waited for goes out now.
    book.earlyCancels.delete(data.orderId)
    o.remaining = 0
    o.cancelled = o.size
    book.closed.set(o.orderId, o)
    return result([removed(book, o, o.size, at)], [rowOf(o)], NONE, book, null, early)
  }
  const fills = book.crossing ? cross(book, o, at) : null
  if (o.remaining > 0) {
    o.resting = true
    book.orders.set(o.orderId, o)
    sideOf(book, o.side).add(o)
  } else {
    book.closed.set(o.orderId, o)
  }
  return result(fills ? fills.events : NONE, [rowOf(o)], fills ? fills.updated : NONE, book)
}

/** Trades the incoming order against the opposite side while it crosses (see the rules above). */
function cross(book: Book, o: Order, at: string): { events: EngineEvent[]; updated: BookOrder[] } | null {
  const opposite = o.side === 'BUY' ? book.asks : book.bids
  const levels = opposite.levels
  // A level crosses when its key is at least the key of the incoming limit on that side.
  const limit = opposite.keyOf(o.price)
  let fills: { events: EngineEvent[]; updated: BookOrder[] } | null = null
  for (let i = levels.length - 1; i >= 0 && o.remaining > 0; i--) {
    const level = levels[i]!
    if (level.key < limit) break
    for (let r = level.head; r !== null && o.remaining > 0;) {
      const next = r.next
      if (r.customerId !== o.customerId) {
        const q = Math.min(o.remaining, r.remaining)
        o.remaining -= q
        fills ??= { events: [], updated: [] }
        fills.events.push(
          o.side === 'BUY' ? matched(book, level.price, q, o, r, 'CROSSING', at) : matched(book, level.price, q, r, o, 'CROSSING', at),
        )
        if (q === r.remaining) {
          level.remove(r)
          r.remaining = 0
          r.resting = false
          book.orders.delete(r.orderId)
          book.closed.set(r.orderId, r)
        } else {
          r.remaining -= q
          level.size -= q
        }
        fills.updated.push(rowOf(r))
      }
      r = next
    }
    if (level.count === 0) opposite.dropLevel(i)
  }
  return fills
}

function match(book: Book, data: EventData<'MatchRequested'>, at: string): EngineResult {
  const o = book.orders.get(data.orderId)
  // Not resting: filled, cancelled or matched already (a repeat), or never booked.
  if (!o) return NOTHING
  const event =
    o.side === 'BUY'
      ? matched(book, o.price, o.remaining, o, null, 'MATCH_REQUEST', at)
      : matched(book, o.price, o.remaining, null, o, 'MATCH_REQUEST', at)
  close(book, o)
  return result([event], NONE, [rowOf(o)], book)
}

function cancel(book: Book, data: EventData<'OrderCancelRequested'>, at: string): EngineResult {
  const resting = book.orders.get(data.orderId)
  if (resting) {
    const remainingSize = resting.remaining
    close(book, resting)
    resting.cancelled = remainingSize
    return result([removed(book, resting, remainingSize, at)], NONE, [rowOf(resting)], null)
  }
  const closed = book.closed.get(data.orderId)
  // Closed already: filled (nothing left), or taken off by an earlier cancel, whose answer is
  // given again (that answer may be the one that was lost; the order service ignores a repeat).
  if (closed) return result([removed(book, closed, closed.cancelled ?? 0, at)], NONE, NONE, null)
  if (book.earlyCancels.has(data.orderId)) return NOTHING
  // Not seen yet. The answer needs the order's side and price, so it waits for OrderConfirmed.
  const early: EarlyCancel = { orderId: data.orderId, customerId: data.customerId, reason: data.reason, requestedAt: data.requestedAt }
  book.earlyCancels.set(data.orderId, early)
  return result(NONE, NONE, NONE, null, early)
}

function settings(book: Book, data: EventData<'MarketSettingsChanged'>): EngineResult {
  if (book.crossing === data.crossing) return NOTHING
  book.crossing = data.crossing
  return result(NONE, NONE, NONE, book)
}
