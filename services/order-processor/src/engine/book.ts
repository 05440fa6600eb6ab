import type { EventData } from '@brokerage/contracts'

// A limit order book for one asset, kept in memory and changed in place by the engine.
// Nothing here does I/O or reads a clock, so the same commands in the same order give the
// same book.
//
// Shape, chosen for speed near the touch:
// - each side is an array of price levels sorted worst → best, so the best level is the last
//   element: taking it off is a pop, and a new order near the touch lands at or near the end
//   (a binary search finds its place, the splice moves only the few levels behind it);
// - each level is a FIFO queue kept as a doubly linked list through the orders themselves, so
//   an order found through the index by id comes off in O(1);
// - the index maps order id → resting order.
// No library: a sorted array of levels beats a tree for the few hundred levels a book has, and
// the queue needs the intrusive links for O(1) cancel, which no general-purpose package offers.

export type Side = 'BUY' | 'SELL'
export type Tier = 'STANDARD' | 'PREMIUM' | 'VIP'

/** One order as the store keeps it (a row of the book's table). */
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
  /** In the book; false once filled or taken off (it is then "closed"). */
  resting: boolean
  /**
   * What a cancel took off (0 or absent if none did): a repeated cancel, sent again because its
   * answer was lost, is answered with it, so the order service still releases the remainder.
   */
  cancelled?: number
}

/** A cancel that reached the engine before the order it names (the answer waits for the order). */
export interface EarlyCancel {
  orderId: string
  customerId: string
  reason: EventData<'OrderCancelRequested'>['reason']
  requestedAt: string
}

const TIER_RANK: Record<Tier, number> = { VIP: 0, PREMIUM: 1, STANDARD: 2 }

/**
 * A resting order: the stored fields plus what the book needs to keep it in place. Only the
 * engine creates and changes these; the caller gets plain BookOrder copies.
 */
export class Order implements BookOrder {
  /**
   * placedAt, parsed once, as days since the epoch and ms into the day: two small integers V8
   * keeps in the object, where a ms timestamp would be one more heap number per order.
   */
  readonly day: number
  readonly ms: number
  readonly rank: number
  prev: Order | null = null
  next: Order | null = null
  level: Level | null = null
  cancelled = 0
  constructor(
    readonly orderId: string,
    readonly customerId: string,
    readonly side: Side,
    readonly price: number,
    readonly size: number,
    public remaining: number,
    readonly tier: Tier,
    readonly placedAt: string,
    readonly seq: number,
    public resting: boolean,
  ) {
    const time = timeOf(placedAt)
    if (Number.isNaN(time)) throw new Error(`order ${orderId}: placedAt ${placedAt} is not a time`)
    this.day = Math.floor(time / 86_400_000)
    this.ms = time - this.day * 86_400_000
    this.rank = TIER_RANK[tier]
  }
}

/**
 * ms since the epoch of an ISO-8601 UTC time. The events' times are Date#toISOString() output
 * (the schema checks it), read here by hand: Date.parse would cost a third of a command.
 */
export function timeOf(iso: string): number {
  if (
    iso.length !== 24 ||
    iso.charCodeAt(4) !== 45 ||
    iso.charCodeAt(7) !== 45 ||
    iso.charCodeAt(10) !== 84 ||
    iso.charCodeAt(13) !== 58 ||
    iso.charCodeAt(16) !== 58 ||
    iso.charCodeAt(19) !== 46 ||
    iso.charCodeAt(23) !== 90
  ) {
    return Date.parse(iso)
  }
  let y = digits(iso, 0, 4)
  const m = digits(iso, 5, 2)
  const d = digits(iso, 8, 2)
  // Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
  y -= m <= 2 ? 1 : 0
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468
  const ms = ((digits(iso, 11, 2) * 60 + digits(iso, 14, 2)) * 60 + digits(iso, 17, 2)) * 1000 + digits(iso, 20, 3)
  return days * 86_400_000 + ms
}

function digits(s: string, from: number, n: number): number {
  let v = 0
  for (let i = from; i < from + n; i++) v = v * 10 + s.charCodeAt(i) - 48
  return v
}

/** A plain copy of an order, as the store writes it. */
export function rowOf(o: BookOrder): BookOrder {
  return {
    orderId: o.orderId,
    customerId: o.customerId,
    side: o.side,
    price: o.price,
    size: o.size,
    remaining: o.remaining,
    tier: o.tier,
    placedAt: o.placedAt,
    seq: o.seq,
    resting: o.resting,
    ...(o.cancelled ? { cancelled: o.cancelled } : {}),
  }
}

/** Within one price: earlier placement, then higher tier, then earlier arrival. */
function before(a: Order, b: Order): boolean {
  if (a.day !== b.day) return a.day < b.day
  if (a.ms !== b.ms) return a.ms < b.ms
  if (a.rank !== b.rank) return a.rank < b.rank
  return a.seq < b.seq
}

export class Level {
  head: Order | null = null
  tail: Order | null = null
  /** Sum of the orders' remaining sizes. */
  size = 0
  count = 0
  constructor(
    /** Grows as the price gets better for this side: the price for bids, minus it for asks. */
    readonly key: number,
    readonly price: number,
  ) {}

  /** In priority order. Orders come almost always in order, so the walk back stops at once. */
  add(o: Order): void {
    let after = this.tail
    while (after !== null && before(o, after)) after = after.prev
    o.prev = after
    if (after === null) {
      o.next = this.head
      this.head = o
    } else {
      o.next = after.next
      after.next = o
    }
    if (o.next === null) this.tail = o
    else o.next.prev = o
    o.level = this
    this.size += o.remaining
    this.count++
  }

  remove(o: Order): void {
    if (o.prev === null) this.head = o.next
    else o.prev.next = o.next
    if (o.next === null) this.tail = o.prev
    else o.next.prev = o.prev
    o.prev = o.next = null
    o.level = null
    this.size -= o.remaining
    this.count--
  }
}

export class BookSide {
  /** Sorted by key ascending: worst first, best last. */
  readonly levels: Level[] = []
  constructor(readonly side: Side) {}

  keyOf(price: number): number {
    return this.side === 'BUY' ? price : -price
  }

  best(): Level | undefined {
    return this.levels[this.levels.length - 1]
  }

  /** Index of the level with `key`, or of where it would go, as ~index when absent. */
  private find(key: number): number {
    const levels = this.levels
    let hi = levels.length - 1
    // Most activity is at the touch: look there before searching.
    if (hi < 0 || levels[hi]!.key < key) return ~(hi + 1)
    if (levels[hi]!.key === key) return hi
    let lo = 0
    hi--
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const k = levels[mid]!.key
      if (k < key) lo = mid + 1
      else if (k > key) hi = mid - 1
      else return mid
    }
    return ~lo
  }

  add(o: Order): void {
    const key = this.keyOf(o.price)
    let at = this.find(key)
    if (at < 0) {
      at = ~at
      const level = new Level(key, o.price)
      if (at === this.levels.length) this.levels.push(level)
      else this.levels.splice(at, 0, level)
    }
    this.levels[at]!.add(o)
  }

  /** Takes a resting order off its level, and the level off the side when it empties. */
  remove(o: Order): void {
    const level = o.level!
    level.remove(o)
    if (level.count === 0) this.dropLevel(this.find(level.key))
  }

  dropLevel(at: number): void {
    if (at === this.levels.length - 1) this.levels.pop()
    else this.levels.splice(at, 1)
  }
}

export interface Book {
  readonly assetName: string
  /** Off by default: incoming orders rest and only match commands fill them (SPEC §2). */
  crossing: boolean
  /** seq of the next order to arrive. */
  nextSeq: number
  /** Trades made so far: the next trade is tradeSeq + 1, and its id is derived from it. */
  tradeSeq: number
  readonly bids: BookSide
  readonly asks: BookSide
  /** Resting orders by id. */
  readonly orders: Map<string, Order>
  /**
   * Orders no longer resting (filled or taken off) that a command may name. A cache the caller
   * keeps: see the contract at the top of engine.ts.
   */
  readonly closed: Map<string, BookOrder>
  readonly earlyCancels: Map<string, EarlyCancel>
  /** Start of every trade id of this asset (see tradeIdOf). */
  readonly tradeIdPrefix: string
}

export function emptyBook(assetName: string): Book {
  return {
    assetName,
    crossing: false,
    nextSeq: 1,
    tradeSeq: 0,
    bids: new BookSide('BUY'),
    asks: new BookSide('SELL'),
    orders: new Map(),
    closed: new Map(),
    earlyCancels: new Map(),
    tradeIdPrefix: tradeIdPrefix(assetName),
  }
}

/**
 * A book from stored rows, in any order: resting rows go into the book by priority, the others
 * into `closed`. Throws on rows that cannot be a consistent book.
 */
export function bookOf(state: {
  assetName: string
  crossing: boolean
  nextSeq: number
  tradeSeq: number
  orders: readonly BookOrder[]
  earlyCancels?: readonly EarlyCancel[]
}): Book {
  const book = emptyBook(state.assetName)
  book.crossing = state.crossing
  book.nextSeq = state.nextSeq
  book.tradeSeq = state.tradeSeq
  const resting: Order[] = []
  for (const r of state.orders) {
    if (r.seq >= state.nextSeq) throw new Error(`order ${r.orderId}: seq ${r.seq} is not below the book's nextSeq ${state.nextSeq}`)
    if (!r.resting) {
      book.closed.set(r.orderId, rowOf(r))
      continue
    }
    if (!(r.remaining > 0 && r.remaining <= r.size)) throw new Error(`resting order ${r.orderId}: remaining ${r.remaining} of ${r.size}`)
    resting.push(new Order(r.orderId, r.customerId, r.side, r.price, r.size, r.remaining, r.tier, r.placedAt, r.seq, true))
  }
  // Sorted first, every order is appended at its level's tail.
  resting.sort((a, b) => (before(a, b) ? -1 : 1))
  for (const o of resting) {
    if (book.orders.has(o.orderId)) throw new Error(`order ${o.orderId} is twice in the rows`)
    book.orders.set(o.orderId, o)
    ;(o.side === 'BUY' ? book.bids : book.asks).add(o)
  }
  for (const c of state.earlyCancels ?? []) book.earlyCancels.set(c.orderId, c)
  return book
}

/** The resting orders of one side, best first, as plain rows. */
export function restingOrders(book: Book, side: Side): BookOrder[] {
  const out: BookOrder[] = []
  const levels = (side === 'BUY' ? book.bids : book.asks).levels
  for (let i = levels.length - 1; i >= 0; i--) {
    for (let o = levels[i]!.head; o !== null; o = o.next) out.push(rowOf(o))
  }
  return out
}

export interface PriceLevel {
  price: number
  size: number
  orders: number
}

/** Unfilled size and order count per price, best first; `levels` 0 means every level. */
export function depth(book: Book, levels = 0): { bids: PriceLevel[]; asks: PriceLevel[] } {
  const aggregate = (side: BookSide) => {
    const out: PriceLevel[] = []
    const all = side.levels
    const stop = levels > 0 ? Math.max(all.length - levels, 0) : 0
    for (let i = all.length - 1; i >= stop; i--) out.push({ price: all[i]!.price, size: all[i]!.size, orders: all[i]!.count })
    return out
  }
  return { bids: aggregate(book.bids), asks: aggregate(book.asks) }
}

/**
 * Trade ids are UUIDs (the event schema's type) derived from the asset and the book's trade
 * sequence, so replaying the same commands gives the same ids: 74 bits of a hash of the asset
 * name, then the sequence in the last 48 bits, laid out as an RFC 9562 version-8 UUID.
 */
function tradeIdPrefix(assetName: string): string {
  // FNV-1a 32-bit hashes with different offsets (no node:crypto in the engine).
  const fnv = (offset: number) => {
    let h = offset >>> 0
    for (let i = 0; i < assetName.length; i++) h = Math.imul(h ^ assetName.charCodeAt(i), 0x01000193) >>> 0
    return h.toString(16).padStart(8, '0')
  }
  const h = fnv(0x811c9dc5) + fnv(0x050c5d1f) + fnv(0x2f3a9b17)
  const variant = ((parseInt(h[15]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(12, 15)}-${variant}${h.slice(16, 19)}-`
}

export function tradeIdOf(book: Book, tradeSeq: number): string {
  return book.tradeIdPrefix + tradeSeq.toString(16).padStart(12, '0')
}
