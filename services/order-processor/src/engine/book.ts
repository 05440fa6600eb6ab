import type { EventData } from '@brokerage/contracts'

// A limit order book for one asset, as plain immutable data. Nothing here does I/O or
// reads a clock: the engine is `book + command → book + events`, so it can be tested
// alone and replayed.

export type Side = 'BUY' | 'SELL'
export type Tier = 'STANDARD' | 'PREMIUM' | 'VIP'

export interface BookOrder {
  orderId: string
  customerId: string
  side: Side
  /** Limit price, minor units per unit. */
  price: number
  size: number
  /** Unfilled size; what a cancel takes off. */
  remaining: number
  tier: Tier
  /** When the customer placed it (ISO-8601): the "time" of price–time priority. */
  placedAt: string
  /** Arrival in this book: the last tie-break, so priority is a total order. */
  seq: number
}

/** A cancel that reached the engine before the order it names (the answer waits for the order). */
export interface EarlyCancel {
  orderId: string
  customerId: string
  reason: EventData<'OrderCancelRequested'>['reason']
  requestedAt: string
}

export interface Book {
  assetName: string
  /** Off by default: incoming orders rest and only match commands fill them (SPEC §2). */
  crossing: boolean
  /** Resting buy orders, best (highest price) first. */
  bids: readonly BookOrder[]
  /** Resting sell orders, best (lowest price) first. */
  asks: readonly BookOrder[]
  /** Orders no longer resting (taken off or filled) that the command at hand may name; the caller loads them. */
  closed: readonly BookOrder[]
  earlyCancels: readonly EarlyCancel[]
  nextSeq: number
}

const TIER_RANK: Record<Tier, number> = { VIP: 0, PREMIUM: 1, STANDARD: 2 }

/**
 * Negative when `a` goes before `b` on the same side: better price, then earlier placement,
 * then higher tier (VIP first) among orders placed at the same instant, then arrival.
 */
export function priority(a: BookOrder, b: BookOrder): number {
  if (a.price !== b.price) return a.side === 'BUY' ? b.price - a.price : a.price - b.price
  const time = Date.parse(a.placedAt) - Date.parse(b.placedAt)
  if (time !== 0) return time
  if (a.tier !== b.tier) return TIER_RANK[a.tier] - TIER_RANK[b.tier]
  return a.seq - b.seq
}

export function emptyBook(assetName: string): Book {
  return { assetName, crossing: false, bids: [], asks: [], closed: [], earlyCancels: [], nextSeq: 1 }
}

/** A book from stored rows in any order. */
export function bookOf(state: Omit<Book, 'bids' | 'asks'> & { resting: readonly BookOrder[] }): Book {
  const { resting, ...rest } = state
  return {
    ...rest,
    bids: resting.filter((o) => o.side === 'BUY').sort(priority),
    asks: resting.filter((o) => o.side === 'SELL').sort(priority),
  }
}

export function findResting(book: Book, orderId: string): BookOrder | undefined {
  return book.bids.find((o) => o.orderId === orderId) ?? book.asks.find((o) => o.orderId === orderId)
}

/** The side with the order in its place by priority; the given array is not changed. */
export function withResting(orders: readonly BookOrder[], order: BookOrder): BookOrder[] {
  const at = orders.findIndex((o) => priority(order, o) < 0)
  return at === -1 ? [...orders, order] : [...orders.slice(0, at), order, ...orders.slice(at)]
}

export interface PriceLevel {
  price: number
  size: number
  orders: number
}

/** Unfilled size and order count per price, best first; `levels` 0 means every level. */
export function depth(book: Book, levels = 0): { bids: PriceLevel[]; asks: PriceLevel[] } {
  const aggregate = (side: readonly BookOrder[]) => {
    const out: PriceLevel[] = []
    for (const o of side) {
      const last = out.at(-1)
      if (last?.price === o.price) {
        last.size += o.remaining
        last.orders += 1
      } else {
        if (levels > 0 && out.length === levels) break
        out.push({ price: o.price, size: o.remaining, orders: 1 })
      }
    }
    return out
  }
  return { bids: aggregate(book.bids), asks: aggregate(book.asks) }
}
