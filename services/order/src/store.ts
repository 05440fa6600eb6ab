import type { Queryable } from '@brokerage/platform'
import type { CancelReason, OrderStatus, Side, Tier } from './domain.js'

// SQL of the order service's own tables. Every function takes the connection it runs on,
// so the caller decides the transaction.

export const STATUS_CHANNEL = 'order_status'

export interface OrderRow {
  id: string
  customerId: string
  assetName: string
  side: Side
  size: number
  price: number
  filledSize: number
  tier: Tier
  status: OrderStatus
  rejectionReason: string | null
  cancelRequestedAt: Date | null
  cancelReason: CancelReason | null
  correlationId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface HistoryRow {
  status: OrderStatus
  at: Date
  eventId: string | null
  eventType: string | null
  reason: string | null
}

export interface TradeRow {
  tradeId: string
  orderId: string
  assetName: string
  side: Side
  size: number
  price: number
  settledAt: Date
}

/** What caused a change: the event handled, or null for a request or the sweeper. */
export interface Cause {
  eventId: string
  eventType: string
}

export interface OrderFilter {
  customerId?: string
  brokerId?: string
  /** Orders of these customers only. */
  customerIds?: string[]
  assetName?: string
  side?: Side
  status?: OrderStatus
  startDate?: Date
  endDate?: Date
}

const ORDER_COLUMNS = `id, customer_id AS "customerId", asset_name AS "assetName", side, size, price, filled_size AS "filledSize",
  tier, status, rejection_reason AS "rejectionReason", cancel_requested_at AS "cancelRequestedAt",
  cancel_reason AS "cancelReason", correlation_id AS "correlationId", created_at AS "createdAt", updated_at AS "updatedAt"`

export function createOrderStore() {
  return {
    async insert(db: Queryable, o: Omit<OrderRow, 'filledSize' | 'cancelRequestedAt' | 'cancelReason' | 'updatedAt'>): Promise<void> {
      await db.query(
        `INSERT INTO orders (id, customer_id, asset_name, side, size, price, tier, status, rejection_reason, correlation_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [o.id, o.customerId, o.assetName, o.side, o.size, o.price, o.tier, o.status, o.rejectionReason, o.correlationId, o.createdAt],
      )
    },

    async get(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<OrderRow | null> {
      const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id])
      return rows[0] ?? null
    },

    async setStatus(db: Queryable, id: string, status: OrderStatus, at: Date, rejectionReason: string | null = null): Promise<void> {
      // Leaving the book ends any cancel in flight.
      await db.query(
        `UPDATE orders SET status = $2, updated_at = $3, rejection_reason = coalesce($4, rejection_reason),
           cancel_requested_at = CASE WHEN $2 IN ('CONFIRMED', 'PARTIALLY_FILLED') THEN cancel_requested_at END
         WHERE id = $1`,
        [id, status, at, rejectionReason],
      )
    },

    async setCancelRequest(db: Queryable, id: string, request: { at: Date; reason: CancelReason } | null, now: Date): Promise<void> {
      await db.query(
        `UPDATE orders SET cancel_requested_at = $2, cancel_reason = coalesce($3, cancel_reason), updated_at = $4 WHERE id = $1`,
        [id, request?.at ?? null, request?.reason ?? null, now],
      )
    },

    async addHistory(
      db: Queryable,
      orderId: string,
      status: OrderStatus,
      at: Date,
      cause: Cause | null,
      reason: string | null,
    ): Promise<void> {
      await db.query(
        'INSERT INTO order_status_history (order_id, status, at, event_id, event_type, reason) VALUES ($1, $2, $3, $4, $5, $6)',
        [orderId, status, at, cause?.eventId ?? null, cause?.eventType ?? null, reason],
      )
    },

    /** Wakes CreateOrder calls waiting on this order (wait_ms); delivered when the transaction commits. */
    async notifyStatus(db: Queryable, orderId: string): Promise<void> {
      await db.query('SELECT pg_notify($1, $2)', [STATUS_CHANNEL, orderId])
    },

    async history(db: Queryable, orderId: string): Promise<HistoryRow[]> {
      const { rows } = await db.query<HistoryRow>(
        `SELECT status, at, event_id AS "eventId", event_type AS "eventType", reason
         FROM order_status_history WHERE order_id = $1 ORDER BY id`,
        [orderId],
      )
      return rows
    },

    /** PENDING orders placed before `cutoff`, locked; rows another instance holds are skipped, not waited for. */
    async lockExpiredPending(db: Queryable, cutoff: Date, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE status = 'PENDING' AND created_at <= $1
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cutoff, limit],
      )
      return rows
    },

    async lockOpenOfCustomer(db: Queryable, customerId: string): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = $1 AND status IN ('PENDING', 'CONFIRMED', 'PARTIALLY_FILLED')
         ORDER BY created_at, seq FOR UPDATE`,
        [customerId],
      )
      return rows
    },

    async list(db: Queryable, f: OrderFilter, page: { page: number; size: number }): Promise<{ rows: OrderRow[]; total: number }> {
      const where: string[] = []
      const args: unknown[] = []
      const add = (sql: (p: string) => string, value: unknown) => {
        args.push(value)
        where.push(sql(`$${args.length}`))
      }
      if (f.customerId) add((p) => `customer_id = ${p}`, f.customerId)
      if (f.brokerId) add((p) => `customer_id IN (SELECT customer_id FROM customers WHERE broker_id = ${p})`, f.brokerId)
      if (f.customerIds) add((p) => `customer_id = ANY(${p}::uuid[])`, f.customerIds)
      if (f.assetName) add((p) => `asset_name = ${p}`, f.assetName)
      if (f.side) add((p) => `side = ${p}`, f.side)
      if (f.status) add((p) => `status = ${p}`, f.status)
      if (f.startDate) add((p) => `created_at >= ${p}`, f.startDate)
      if (f.endDate) add((p) => `created_at < ${p}`, f.endDate)
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const [{ rows }, count] = await Promise.all([
        db.query<OrderRow>(
          `SELECT ${ORDER_COLUMNS} FROM orders ${clause} ORDER BY created_at DESC, seq DESC LIMIT $${args.length + 1} OFFSET $${args.length + 2}`,
          [...args, page.size, page.page * page.size],
        ),
        db.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM orders ${clause}`, args),
      ])
      return { rows, total: count.rows[0]!.n }
    },

    async trades(db: Queryable, orderId: string): Promise<TradeRow[]> {
      const { rows } = await db.query<TradeRow>(
        `SELECT trade_id AS "tradeId", order_id AS "orderId", asset_name AS "assetName", side, size, price, settled_at AS "settledAt"
         FROM trades WHERE order_id = $1 ORDER BY settled_at DESC, trade_id`,
        [orderId],
      )
      return rows
    },

    /** Claims an idempotency key; null when it was free, else what it already answers. */
    async claimIdempotencyKey(
      db: Queryable,
      k: { customerId: string; key: string; request: string; orderId: string; at: Date },
    ): Promise<{ request: string; orderId: string } | null> {
      // A concurrent first use of the same key holds the row until it commits; this waits and then sees it.
      const { rowCount } = await db.query(
        `INSERT INTO idempotency_keys (customer_id, key, request, order_id, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING`,
        [k.customerId, k.key, k.request, k.orderId, k.at],
      )
      if (rowCount) return null
      const { rows } = await db.query<{ request: string; orderId: string }>(
        'SELECT request, order_id AS "orderId" FROM idempotency_keys WHERE customer_id = $1 AND key = $2',
        [k.customerId, k.key],
      )
      return rows[0]!
    },

    async countByStatus(db: Queryable): Promise<Array<{ status: string; n: number }>> {
      const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::bigint AS n FROM orders GROUP BY status')
      return rows
    },
  }
}

export type OrderStore = ReturnType<typeof createOrderStore>
