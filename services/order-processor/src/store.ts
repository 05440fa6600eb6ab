import type { Queryable } from '@brokerage/platform'
import { bookOf, type Book, type BookOrder, type EarlyCancel } from './engine/book.js'
import type { Changes } from './engine/engine.js'

// SQL of the order-processor. Books are stored row by row, so a restart finds them as they
// were; while running, each book lives in memory (the engine changes it in place) and only
// what a command changed is written back.

const ORDER_COLUMNS = `order_id AS "orderId", customer_id AS "customerId", side, price, size, remaining, tier,
  placed_at AS "placedAt", seq, resting, cancelled`
const ORDER_JSON = `'orderId', order_id, 'customerId', customer_id, 'side', side, 'price', price, 'size', size,
  'remaining', remaining, 'tier', tier, 'placedAt', placed_at, 'seq', seq, 'resting', resting, 'cancelled', cancelled`

type OrderRow = Omit<BookOrder, 'placedAt'> & { placedAt: Date | string }
const toBookOrder = (r: OrderRow): BookOrder => ({ ...r, placedAt: new Date(r.placedAt).toISOString() })

interface BookHeader {
  crossing: boolean
  nextSeq: number
  tradeSeq: number
}

async function loadBook(db: Queryable, assetName: string, header: BookHeader): Promise<Book> {
  const [orders, cancels] = await Promise.all([
    db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM book_orders WHERE asset_name = $1 AND resting`, [assetName]),
    db.query<Omit<EarlyCancel, 'requestedAt'> & { requestedAt: Date }>(
      `SELECT order_id AS "orderId", customer_id AS "customerId", reason, requested_at AS "requestedAt"
       FROM early_cancels WHERE asset_name = $1`,
      [assetName],
    ),
  ])
  return bookOf({
    assetName,
    ...header,
    orders: orders.rows.map(toBookOrder),
    earlyCancels: cancels.rows.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString() })),
  })
}

/**
 * `afterCommit` (the service's Db.afterCommit) tells the store that the transaction a copy was
 * changed in committed; without it a copy is trusted only within its own transaction.
 */
interface Held {
  version: number
  book: Book
  /** The transaction that last changed the copy (txid_current()), until it commits. */
  txid: number | null
}

/**
 * What the commands of one batch changed, over all its books, folded so that each stored row
 * is written once: the last header of each book, the last copy of each order, and for each
 * early cancel whether it is left stored.
 */
export function createBookWrites() {
  const headers = new Map<string, NonNullable<Changes['book']>>()
  const orders = new Map<string, BookOrder & { assetName: string }>()
  const earlyCancels = new Map<string, (EarlyCancel & { assetName: string }) | null>()
  return {
    add(assetName: string, changed: Changes): void {
      if (changed.book) headers.set(assetName, changed.book)
      for (const o of changed.added) orders.set(o.orderId, { ...o, assetName })
      for (const o of changed.updated) orders.set(o.orderId, { ...o, assetName })
      if (changed.earlyCancelAdded) earlyCancels.set(changed.earlyCancelAdded.orderId, { ...changed.earlyCancelAdded, assetName })
      if (changed.earlyCancelRemoved) earlyCancels.set(changed.earlyCancelRemoved.orderId, null)
    },
    get empty(): boolean {
      return !headers.size && !orders.size && !earlyCancels.size
    },
    headers,
    orders,
    earlyCancels,
  }
}

export type BookWrites = ReturnType<typeof createBookWrites>

export function createBookStore(deps: { afterCommit?: (tx: Queryable, fn: () => void) => void } = {}) {
  // The books of the assets this process works on, with the version they had after this
  // process last changed them. An asset's partition has one owner at a time, so the copy is
  // normally the truth; lock() proves it, and loads the book again when it is not. A copy is
  // trusted only once the transaction that changed it has committed (or within that same
  // transaction): after a rollback the stored version may catch up with it through another
  // writer's commit, while the copy still holds the rolled-back change.
  const books = new Map<string, Held>()

  return {
    /**
     * Locks the books of a batch of commands (creating those used the first time, in name
     * order so that two lockers cannot deadlock) and counts the commands about to be applied, in
     * one statement that also returns the stored rows of the commands' orders that no longer
     * rest (the engine's `closed` contract), each put in the book of the command that names it.
     * Returns the books to apply the commands to, by asset.
     */
    async lock(tx: Queryable, commands: ReadonlyArray<{ assetName: string; orderId?: string }>): Promise<Map<string, Book>> {
      // The version counts the commands applied to a book (migration 002): a book created here
      // starts at the count less one, as if each command had locked it in turn.
      const counts = new Map<string, number>()
      for (const c of commands) counts.set(c.assetName, (counts.get(c.assetName) ?? 0) + 1)
      const assetNames = [...counts.keys()].sort()
      const orderIds = [...new Set(commands.flatMap((c) => (c.orderId ? [c.orderId] : [])))]
      const { rows } = await tx.query<BookHeader & { assetName: string; version: number; txid: number; closed: OrderRow[] | null }>(
        `WITH b AS (
           INSERT INTO books (asset_name, version) SELECT a, n - 1 FROM unnest($1::text[], $2::int[]) AS x(a, n) ORDER BY a
           ON CONFLICT (asset_name) DO UPDATE SET version = books.version + excluded.version + 1
           RETURNING asset_name, crossing, next_seq, trade_seq, version
         )
         SELECT asset_name AS "assetName", crossing, next_seq AS "nextSeq", trade_seq AS "tradeSeq", version, txid_current() AS txid,
           (SELECT json_agg(json_build_object(${ORDER_JSON})) FROM book_orders WHERE order_id = ANY($3::uuid[]) AND NOT resting) AS closed
         FROM b`,
        [assetNames, assetNames.map((a) => counts.get(a)!), orderIds],
      )
      const locked = new Map<string, Book>()
      for (const row of rows) {
        const held = books.get(row.assetName)
        const n = counts.get(row.assetName)!
        // Created by this statement (a book that existed is at n or more now): no stored row can belong to it yet.
        const created = row.version === n - 1
        // The copy here is current only if it was left at the version just before these n commands.
        const current = held && !created && held.version === row.version - n && (held.txid === null || held.txid === row.txid)
        const book = current ? held.book : created ? bookOf({ ...row, orders: [] }) : await loadBook(tx, row.assetName, row)
        const entry: Held = { version: row.version, book, txid: row.txid }
        books.set(row.assetName, entry)
        deps.afterCommit?.(tx, () => {
          entry.txid = null
        })
        // Closed orders are looked up per batch rather than kept: the cache would only grow.
        book.closed.clear()
        locked.set(row.assetName, book)
      }
      const closed = rows[0]?.closed
      if (closed?.length) {
        const assetOf = new Map(commands.flatMap((c) => (c.orderId ? [[c.orderId, c.assetName] as const] : [])))
        for (const r of closed) locked.get(assetOf.get(r.orderId)!)!.closed.set(r.orderId, toBookOrder(r))
      }
      return locked
    },

    /**
     * Writes what a batch's commands changed, in the caller's transaction, in one statement
     * (none if nothing changed). If that transaction rolls back, the version stored stays one
     * behind the one kept here, so the next lock() loads the book again instead of trusting
     * the copy the engine already changed.
     */
    async save(tx: Queryable, writes: BookWrites, at: Date): Promise<void> {
      if (writes.empty) return
      const headers = [...writes.headers].map(([asset_name, h]) => ({
        asset_name,
        crossing: h.crossing,
        next_seq: h.nextSeq,
        trade_seq: h.tradeSeq,
      }))
      const orders = [...writes.orders.values()].map((o) => ({
        order_id: o.orderId,
        asset_name: o.assetName,
        customer_id: o.customerId,
        side: o.side,
        price: o.price,
        size: o.size,
        remaining: o.remaining,
        tier: o.tier,
        placed_at: o.placedAt,
        seq: o.seq,
        resting: o.resting,
        cancelled: o.cancelled ?? 0,
      }))
      const cancels = [...writes.earlyCancels.values()].flatMap((c) =>
        c
          ? [{ order_id: c.orderId, asset_name: c.assetName, customer_id: c.customerId, reason: c.reason, requested_at: c.requestedAt }]
          : [],
      )
      const uncancelled = [...writes.earlyCancels].flatMap(([orderId, c]) => (c ? [] : [orderId]))
      // Data-modifying CTEs all run to completion, read or not; the two on early_cancels touch
      // different orders (an order's last state in the batch is either stored or not).
      await tx.query(
        `WITH h AS (
           UPDATE books b SET crossing = h.crossing, next_seq = h.next_seq, trade_seq = h.trade_seq, updated_at = $5
           FROM jsonb_to_recordset($1::jsonb) AS h(asset_name text, crossing boolean, next_seq bigint, trade_seq bigint)
           WHERE b.asset_name = h.asset_name
         ), o AS (
           INSERT INTO book_orders (order_id, asset_name, customer_id, side, price, size, remaining, tier, placed_at, seq, resting, cancelled, updated_at)
           SELECT o.order_id, o.asset_name, o.customer_id, o.side, o.price, o.size, o.remaining, o.tier, o.placed_at, o.seq, o.resting, o.cancelled, $5
           FROM jsonb_to_recordset($2::jsonb) AS o(order_id uuid, asset_name text, customer_id uuid, side text, price bigint,
             size bigint, remaining bigint, tier text, placed_at timestamptz, seq bigint, resting boolean, cancelled bigint)
           ON CONFLICT (order_id) DO UPDATE SET remaining = excluded.remaining, resting = excluded.resting, cancelled = excluded.cancelled,
             updated_at = excluded.updated_at
         ), ea AS (
           INSERT INTO early_cancels (order_id, asset_name, customer_id, reason, requested_at)
           SELECT e.order_id, e.asset_name, e.customer_id, e.reason, e.requested_at
           FROM jsonb_to_recordset($3::jsonb) AS e(order_id uuid, asset_name text, customer_id uuid, reason text, requested_at timestamptz)
         ), ed AS (
           DELETE FROM early_cancels WHERE order_id = ANY($4::uuid[])
         )
         SELECT 1`,
        [JSON.stringify(headers), JSON.stringify(orders), JSON.stringify(cancels), uncancelled, at],
      )
    },

    /** The book as stored, for reading (no lock); null for an asset the engine has never seen. */
    async read(db: Queryable, assetName: string): Promise<Book | null> {
      const { rows } = await db.query<BookHeader>(
        'SELECT crossing, next_seq AS "nextSeq", trade_seq AS "tradeSeq" FROM books WHERE asset_name = $1',
        [assetName],
      )
      return rows[0] ? loadBook(db, assetName, rows[0]) : null
    },
  }
}

export interface MarketRow {
  assetName: string
  crossing: boolean
  updatedAt: Date
}

export function createMarketStore() {
  return {
    async set(tx: Queryable, m: { assetName: string; crossing: boolean; changedBy: string; at: Date }): Promise<MarketRow> {
      const { rows } = await tx.query<MarketRow>(
        `INSERT INTO markets (asset_name, crossing, changed_by, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (asset_name) DO UPDATE SET crossing = excluded.crossing, changed_by = excluded.changed_by, updated_at = excluded.updated_at
         RETURNING asset_name AS "assetName", crossing, updated_at AS "updatedAt"`,
        [m.assetName, m.crossing, m.changedBy, m.at],
      )
      return rows[0]!
    },

    /** Every market an admin has set or the engine has a book for (crossing off unless set). */
    async list(db: Queryable): Promise<MarketRow[]> {
      const { rows } = await db.query<MarketRow>(
        `SELECT asset_name AS "assetName", coalesce(m.crossing, false) AS crossing, coalesce(m.updated_at, b.created_at) AS "updatedAt"
         FROM markets m FULL JOIN books b USING (asset_name) ORDER BY asset_name`,
      )
      return rows
    },
  }
}
