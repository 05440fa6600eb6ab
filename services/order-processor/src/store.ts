import type { Queryable } from '@brokerage/platform'
import { bookOf, type Book, type BookOrder, type EarlyCancel } from './engine/book.js'

// SQL of the order-processor: books are stored row by row, so a restart finds them as they
// were; the engine works on a loaded Book and save() writes back only what changed.

/** The pool or a transaction's client. */
const ORDER_COLUMNS = `order_id AS "orderId", customer_id AS "customerId", side, price, size, remaining, tier,
  placed_at AS "placedAt", seq`

type OrderRow = Omit<BookOrder, 'placedAt'> & { placedAt: Date }
const toBookOrder = (r: OrderRow): BookOrder => ({ ...r, placedAt: r.placedAt.toISOString() })

export function createBookStore() {
  async function resting(db: Queryable, assetName: string): Promise<BookOrder[]> {
    const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM book_orders WHERE asset_name = $1 AND resting`, [assetName])
    return rows.map(toBookOrder)
  }

  return {
    /**
     * Locks the asset's book (creating it on first use) and loads it: the resting orders,
     * and what the engine needs about `orderId` if it is not resting (closed, or cancelled early).
     */
    async load(tx: Queryable, assetName: string, orderId?: string): Promise<Book> {
      await tx.query('INSERT INTO books (asset_name) VALUES ($1) ON CONFLICT DO NOTHING', [assetName])
      const { rows } = await tx.query<{ crossing: boolean; nextSeq: number }>(
        'SELECT crossing, next_seq AS "nextSeq" FROM books WHERE asset_name = $1 FOR UPDATE',
        [assetName],
      )
      let closed: BookOrder[] = []
      let earlyCancels: EarlyCancel[] = []
      if (orderId) {
        const c = await tx.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM book_orders WHERE order_id = $1 AND NOT resting`, [orderId])
        closed = c.rows.map(toBookOrder)
        const e = await tx.query<Omit<EarlyCancel, 'requestedAt'> & { requestedAt: Date }>(
          `SELECT order_id AS "orderId", customer_id AS "customerId", reason, requested_at AS "requestedAt"
           FROM early_cancels WHERE order_id = $1`,
          [orderId],
        )
        earlyCancels = e.rows.map((r) => ({ ...r, requestedAt: r.requestedAt.toISOString() }))
      }
      return bookOf({ assetName, ...rows[0]!, resting: await resting(tx, assetName), closed, earlyCancels })
    },

    /** Writes what the engine changed between `before` and `after`. */
    async save(tx: Queryable, before: Book, after: Book, at: Date): Promise<void> {
      const { assetName } = after
      if (before.crossing !== after.crossing || before.nextSeq !== after.nextSeq) {
        await tx.query('UPDATE books SET crossing = $2, next_seq = $3, updated_at = $4 WHERE asset_name = $1', [
          assetName,
          after.crossing,
          after.nextSeq,
          at,
        ])
      }
      const state = (b: Book) =>
        new Map<string, { o: BookOrder; resting: boolean }>([
          ...b.closed.map((o) => [o.orderId, { o, resting: false }] as const),
          ...[...b.bids, ...b.asks].map((o) => [o.orderId, { o, resting: true }] as const),
        ])
      const was = state(before)
      for (const [id, now] of state(after)) {
        const prev = was.get(id)
        if (!prev) {
          const o = now.o
          await tx.query(
            `INSERT INTO book_orders (order_id, asset_name, customer_id, side, price, size, remaining, tier, placed_at, seq, resting, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            [o.orderId, assetName, o.customerId, o.side, o.price, o.size, o.remaining, o.tier, o.placedAt, o.seq, now.resting, at],
          )
        } else if (prev.o.remaining !== now.o.remaining || prev.resting !== now.resting) {
          await tx.query('UPDATE book_orders SET remaining = $2, resting = $3, updated_at = $4 WHERE order_id = $1', [
            id,
            now.o.remaining,
            now.resting,
            at,
          ])
        }
      }
      const ids = (b: Book) => new Set(b.earlyCancels.map((c) => c.orderId))
      const had = ids(before)
      const has = ids(after)
      for (const c of after.earlyCancels.filter((c) => !had.has(c.orderId))) {
        await tx.query('INSERT INTO early_cancels (order_id, asset_name, customer_id, reason, requested_at) VALUES ($1, $2, $3, $4, $5)', [
          c.orderId,
          assetName,
          c.customerId,
          c.reason,
          c.requestedAt,
        ])
      }
      const gone = before.earlyCancels.filter((c) => !has.has(c.orderId)).map((c) => c.orderId)
      if (gone.length) await tx.query('DELETE FROM early_cancels WHERE order_id = ANY($1::uuid[])', [gone])
    },

    /** The book as it is, for reading (no lock); null for an asset the engine has never seen. */
    async read(db: Queryable, assetName: string): Promise<Book | null> {
      const { rows } = await db.query<{ crossing: boolean; nextSeq: number }>(
        'SELECT crossing, next_seq AS "nextSeq" FROM books WHERE asset_name = $1',
        [assetName],
      )
      if (!rows[0]) return null
      return bookOf({ assetName, ...rows[0], resting: await resting(db, assetName), closed: [], earlyCancels: [] })
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
