import type { CustomerStatus } from '@brokerage/contracts'
import type { OutboxRows, Queryable } from '@brokerage/platform'
import type { CancelReason, OrderStatus, Side, Tier } from './domain.js'

// SQL of the order service's own tables. Every function takes the connection it runs on,
// so the caller decides the transaction.

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

/** The order's columns as OrderRow's fields; `from` qualifies them where another table shares a name. */
const orderColumns = (from = '') =>
  `${from}id, ${from}customer_id AS "customerId", ${from}asset_name AS "assetName", ${from}side, ${from}size, ${from}price,
  ${from}filled_size AS "filledSize", ${from}tier, ${from}status, ${from}rejection_reason AS "rejectionReason",
  ${from}cancel_requested_at AS "cancelRequestedAt", ${from}cancel_reason AS "cancelReason", ${from}correlation_id AS "correlationId",
  ${from}created_at AS "createdAt", ${from}updated_at AS "updatedAt"`
const ORDER_COLUMNS = orderColumns()

export type Placement =
  | { kind: 'placed' }
  | { kind: 'key-taken' }
  | { kind: 'no-customer' }
  /** The replica's customer is not the one the row and its events were built for: nothing was written. */
  | { kind: 'customer-differs'; customer: CustomerGuess }

/** What a placement's row and events assume of its customer; the statement checks it against the replica. */
export interface CustomerGuess {
  tier: Tier
  suspended: boolean
}

/** One status change: the row's new status and its history entry. Ids are distinct within one call. */
export interface StatusMove {
  id: string
  status: OrderStatus
  at: Date
  rejectionReason: string | null
  cause: Cause | null
  reason: string | null
}

/** A cancel sent to the engine (request) or ended (null), recorded in the history under the order's unchanged status. */
export interface CancelRequestChange {
  id: string
  request: { at: Date; reason: CancelReason } | null
  at: Date
  status: OrderStatus
  cause: Cause | null
  reason: string | null
}

/**
 * Runs a statement of the saga's hot path as a prepared statement, named after its text:
 * PostgreSQL parses and plans it once per connection, not on every call, which halved the
 * orders database's CPU per placement (BENCHMARKS.md). Each name must always carry the same
 * text. Every Queryable here is a pg pool or client, and those take a named query.
 */
function prepared<R extends object>(db: Queryable, name: string, text: string, values: unknown[]) {
  const named = db as unknown as {
    query(q: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>
  }
  return named.query({ name, text, values })
}

/** Puts rows back in the order of the ids asked for (RETURNING gives them in no particular order). */
function inOrderOf<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]))
  return ids.map((id) => byId.get(id)!)
}

export function createOrderStore() {
  return {
    /**
     * Places an order in one autocommit statement: claims the idempotency key (if any), reads
     * the customer from the replica, inserts the order, its first history entry and its outbox
     * rows. The row and its events are built beforehand for `customer`; nothing is written
     * unless the replica agrees with it, the customer is known and the key was free.
     *
     * The customer row is share-locked: a suspension (which updates it) waits for this
     * statement and then cancels the order with the others, or goes first and this statement
     * finds the customer differs. A concurrent first use of the same key holds its row until
     * it commits; the claim waits for it and then finds it taken (key-taken).
     */
    async place(
      db: Queryable,
      o: OrderRow,
      customer: CustomerGuess,
      opts: { events: OutboxRows; idempotency?: { key: string; request: string } },
    ): Promise<Placement> {
      const { rows } = await prepared<{ placed: boolean; tier: Tier | null; status: CustomerStatus | null }>(
        db,
        'order.place',
        `WITH customer AS (
           SELECT tier, status FROM customers WHERE customer_id = $2::uuid AND registered FOR SHARE
         ),
         fits AS (
           SELECT FROM customer WHERE tier = $7::text AND (status = 'SUSPENDED') = $15::boolean
         ),
         claim AS (
           INSERT INTO idempotency_keys (customer_id, key, request, order_id, created_at)
           SELECT $2::uuid, $13::text, $14::text, $1::uuid, $11::timestamptz FROM fits WHERE $13::text IS NOT NULL
           ON CONFLICT DO NOTHING
           RETURNING order_id
         ),
         placed AS (
           INSERT INTO orders (id, customer_id, asset_name, side, size, price, tier, status, rejection_reason, correlation_id, created_at, updated_at)
           SELECT $1::uuid, $2::uuid, $3::text, $4::text, $5::bigint, $6::bigint, $7::text, $8::text, $9::text, $10::text, $11::timestamptz, $12::timestamptz
           FROM fits WHERE $13::text IS NULL OR EXISTS (SELECT FROM claim)
           RETURNING id, status, created_at, rejection_reason
         ),
         history AS (
           INSERT INTO order_status_history (order_id, status, at, reason) SELECT id, status, created_at, rejection_reason FROM placed
         ),
         events AS (
           ${opts.events.insert(16, 'EXISTS (SELECT FROM placed)')}
         )
         SELECT EXISTS (SELECT FROM placed) AS placed, (SELECT tier FROM customer), (SELECT status FROM customer)`,
        [
          o.id,
          o.customerId,
          o.assetName,
          o.side,
          o.size,
          o.price,
          o.tier,
          o.status,
          o.rejectionReason,
          o.correlationId,
          o.createdAt,
          o.updatedAt,
          opts.idempotency?.key ?? null,
          opts.idempotency?.request ?? null,
          customer.suspended,
          ...opts.events.params,
        ],
      )
      const r = rows[0]!
      if (r.placed) return { kind: 'placed' }
      if (!r.tier) return { kind: 'no-customer' }
      if (r.tier !== customer.tier || (r.status === 'SUSPENDED') !== customer.suspended) {
        return { kind: 'customer-differs', customer: { tier: r.tier, suspended: r.status === 'SUSPENDED' } }
      }
      // The customer fits and nothing was placed: only the claim can have failed.
      return { kind: 'key-taken' }
    },

    /** What a taken idempotency key answers: the request it was first used with and that request's order. */
    async replay(db: Queryable, customerId: string, key: string): Promise<{ request: string; order: OrderRow }> {
      const { rows } = await db.query<OrderRow & { request: string }>(
        `SELECT k.request, ${orderColumns('o.')} FROM idempotency_keys k JOIN orders o ON o.id = k.order_id
         WHERE k.customer_id = $1 AND k.key = $2`,
        [customerId, key],
      )
      const { request, ...order } = rows[0]!
      return { request, order }
    },

    async get(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<OrderRow | null> {
      const { rows } = await prepared<OrderRow>(
        db,
        opts.lock ? 'order.get.lock' : 'order.get',
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
        [id],
      )
      return rows[0] ?? null
    },

    /** Locks the orders (in id order, so two callers never deadlock); unknown ids are left out. */
    async lockAll(db: Queryable, ids: string[]): Promise<OrderRow[]> {
      if (!ids.length) return []
      const { rows } = await prepared<OrderRow>(
        db,
        'order.lockAll',
        `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [ids],
      )
      return rows
    },

    /**
     * Status changes, their history entries and the events they emit (`outbox.rows`, if any),
     * any number in one statement; returns the rows as written, in the order given.
     */
    async move(db: Queryable, moves: StatusMove[], events?: OutboxRows): Promise<OrderRow[]> {
      if (!moves.length) return []
      // Leaving the book ends any cancel in flight.
      const { rows } = await prepared<OrderRow>(
        db,
        events ? 'order.move.events' : 'order.move',
        `WITH m AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::uuid[], $6::text[], $7::text[])
             WITH ORDINALITY AS m (id, status, at, rejection_reason, event_id, event_type, reason, n)
         ),
         moved AS (
           UPDATE orders o SET status = m.status, updated_at = m.at, rejection_reason = coalesce(m.rejection_reason, o.rejection_reason),
             cancel_requested_at = CASE WHEN m.status IN ('CONFIRMED', 'PARTIALLY_FILLED') THEN o.cancel_requested_at END
           FROM m WHERE o.id = m.id
           RETURNING o.*
         ),
         history AS (
           INSERT INTO order_status_history (order_id, status, at, event_id, event_type, reason)
           SELECT id, status, at, event_id, event_type, reason FROM m ORDER BY n
         )${events ? `, events AS (${events.insert(8)})` : ''}
         SELECT ${ORDER_COLUMNS} FROM moved`,
        [
          moves.map((m) => m.id),
          moves.map((m) => m.status),
          moves.map((m) => m.at),
          moves.map((m) => m.rejectionReason),
          moves.map((m) => m.cause?.eventId ?? null),
          moves.map((m) => m.cause?.eventType ?? null),
          moves.map((m) => m.reason),
          ...(events?.params ?? []),
        ],
      )
      return inOrderOf(
        moves.map((m) => m.id),
        rows,
      )
    },

    /**
     * Cancel requests set or ended, with their history entries and the events they emit (if
     * any), in one statement; returns the rows as written, in the order given.
     */
    async setCancelRequests(db: Queryable, changes: CancelRequestChange[], events?: OutboxRows): Promise<OrderRow[]> {
      if (!changes.length) return []
      const { rows } = await prepared<OrderRow>(
        db,
        events ? 'order.cancelRequests.events' : 'order.cancelRequests',
        `WITH c AS (
           SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[], $5::text[], $6::uuid[], $7::text[], $8::text[])
             WITH ORDINALITY AS c (id, requested_at, cancel_reason, at, status, event_id, event_type, reason, n)
         ),
         changed AS (
           UPDATE orders o SET cancel_requested_at = c.requested_at, cancel_reason = coalesce(c.cancel_reason, o.cancel_reason), updated_at = c.at
           FROM c WHERE o.id = c.id
           RETURNING o.*
         ),
         history AS (
           INSERT INTO order_status_history (order_id, status, at, event_id, event_type, reason)
           SELECT id, status, at, event_id, event_type, reason FROM c ORDER BY n
         )${events ? `, events AS (${events.insert(9)})` : ''}
         SELECT ${ORDER_COLUMNS} FROM changed`,
        [
          changes.map((c) => c.id),
          changes.map((c) => c.request?.at ?? null),
          changes.map((c) => c.request?.reason ?? null),
          changes.map((c) => c.at),
          changes.map((c) => c.status),
          changes.map((c) => c.cause?.eventId ?? null),
          changes.map((c) => c.cause?.eventType ?? null),
          changes.map((c) => c.reason),
          ...(events?.params ?? []),
        ],
      )
      return inOrderOf(
        changes.map((c) => c.id),
        rows,
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

    /** Booked orders whose cancel was asked of the engine at or before `cutoff` and not answered. */
    async lockStaleCancels(db: Queryable, cutoff: Date, limit: number): Promise<OrderRow[]> {
      const { rows } = await db.query<OrderRow>(
        `SELECT ${ORDER_COLUMNS} FROM orders
         WHERE cancel_requested_at IS NOT NULL AND cancel_requested_at <= $1 AND status IN ('CONFIRMED', 'PARTIALLY_FILLED')
         ORDER BY cancel_requested_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
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

    async countByStatus(db: Queryable): Promise<Array<{ status: string; n: number }>> {
      const { rows } = await db.query<{ status: string; n: number }>('SELECT status, count(*)::bigint AS n FROM orders GROUP BY status')
      return rows
    },
  }
}

export type OrderStore = ReturnType<typeof createOrderStore>
