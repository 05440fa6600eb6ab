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
     * Locks the asset's book (creating it on first use) and counts the command about to be
     * applied, in one statement that also returns the stored row of `orderId` if it no longer
     * rests (the engine's `closed` contract). Returns the book to apply the command to.
     */
    async lock(tx: Queryable, assetName: string, orderId?: string): Promise<Book> {
      const { rows } = await tx.query<BookHeader & { version: number; txid: number; closed: OrderRow | null }>(
        `WITH b AS (
           INSERT INTO books (asset_name) VALUES ($1)
           ON CONFLICT (asset_name) DO UPDATE SET version = books.version + 1
           RETURNING crossing, next_seq, trade_seq, version
         )
         SELECT crossing, next_seq AS "nextSeq", trade_seq AS "tradeSeq", version, txid_current() AS txid,
           (SELECT json_build_object(${ORDER_JSON}) FROM book_orders WHERE order_id = $2 AND NOT resting) AS closed
         FROM b`,
        [assetName, orderId ?? null],
      )
      const row = rows[0]!
      const held = books.get(assetName)
      // A book is inserted at version 0 and every later command moves it on by one, so the copy
      // here is current only if it was left at the version just before this one.
      const current = held && row.version > 0 && held.version === row.version - 1 && (held.txid === null || held.txid === row.txid)
      const book = current ? held.book : await loadBook(tx, assetName, row)
      const entry: Held = { version: row.version, book, txid: row.txid }
      books.set(assetName, entry)
      deps.afterCommit?.(tx, () => {
        entry.txid = null
      })
      // Closed orders are looked up per command rather than kept: the cache would only grow.
      book.closed.clear()
      if (row.closed) book.closed.set(row.closed.orderId, toBookOrder(row.closed))
      return book
    },

    /**
     * Writes what the engine changed, in the caller's transaction. If that transaction rolls
     * back, the version stored stays one behind the one kept here, so the next lock() loads
     * the book again instead of trusting the copy the engine already changed.
     */
    async save(tx: Queryable, assetName: string, changed: Changes, at: Date): Promise<void> {
      if (changed.book) {
        await tx.query('UPDATE books SET crossing = $2, next_seq = $3, trade_seq = $4, updated_at = $5 WHERE asset_name = $1', [
          assetName,
          changed.book.crossing,
          changed.book.nextSeq,
          changed.book.tradeSeq,
          at,
        ])
      }
      const rows = [...changed.added, ...changed.updated]
      if (rows.length) {
        await tx.query(
          `INSERT INTO book_orders (order_id, asset_name, customer_id, side, price, size, remaining, tier, placed_at, seq, resting, cancelled, updated_at)
           SELECT o.order_id, $2, o.customer_id, o.side, o.price, o.size, o.remaining, o.tier, o.placed_at, o.seq, o.resting, o.cancelled, $3
           FROM unnest($1::jsonb[]) j, jsonb_to_record(j) AS o(order_id uuid, customer_id uuid, side text, price bigint,
             size bigint, remaining bigint, tier text, placed_at timestamptz, seq bigint, resting boolean, cancelled bigint)
           ON CONFLICT (order_id) DO UPDATE SET remaining = excluded.remaining, resting = excluded.resting, cancelled = excluded.cancelled,
             updated_at = excluded.updated_at`,
          [
            rows.map((o) => ({
              order_id: o.orderId,
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
            })),
            assetName,
            at,
          ],
        )
      }
      const added = changed.earlyCancelAdded
      if (added) {
        await tx.query('INSERT INTO early_cancels (order_id, asset_name, customer_id, reason, requested_at) VALUES ($1, $2, $3, $4, $5)', [
          added.orderId,
          assetName,
          added.customerId,
          added.reason,
          added.requestedAt,
        ])
      }
      if (changed.earlyCancelRemoved) await tx.query('DELETE FROM early_cancels WHERE order_id = $1', [changed.earlyCancelRemoved.orderId])
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
