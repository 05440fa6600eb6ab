import type { Queryable } from '@brokerage/platform/postgres'
import type { Side } from '@brokerage/contracts'
import { together, type Part } from './statement.js'

// What is held for each order. Amounts only ever move from held to released (cancel,
// reject) or consumed (a settled fill, later), so a release is exact and a fill can take
// part of a reservation: `reserved = held + released + consumed` is a CHECK in the table.

export type ClosedBy = 'CANCELLED' | 'REJECTED'

export interface OrderReservation {
  orderId: string
  customerId: string
  assetName: string
  side: Side
  size: number | null
  price: number | null
  /** AWAITING_ORDER: a cancel or reject came before OrderCreated (a tombstone). */
  outcome: 'AWAITING_ORDER' | 'RESERVED' | 'FAILED'
  reservedAsset: string | null
  reservedAmount: number
  heldAmount: number
  releasedAmount: number
  consumedAmount: number
  filledSize: number
  closedBy: ClosedBy | null
}

interface Row {
  order_id: string
  customer_id: string
  asset_name: string
  side: Side
  size: number | null
  price: number | null
  outcome: OrderReservation['outcome']
  reserved_asset: string | null
  reserved_amount: number
  held_amount: number
  released_amount: number
  consumed_amount: number
  filled_size: number
  closed_by: ClosedBy | null
}

const toReservation = (r: Row): OrderReservation => ({
  orderId: r.order_id,
  customerId: r.customer_id,
  assetName: r.asset_name,
  side: r.side,
  size: r.size,
  price: r.price,
  outcome: r.outcome,
  reservedAsset: r.reserved_asset,
  reservedAmount: r.reserved_amount,
  heldAmount: r.held_amount,
  releasedAmount: r.released_amount,
  consumedAmount: r.consumed_amount,
  filledSize: r.filled_size,
  closedBy: r.closed_by,
})

export interface CreatedOrder {
  orderId: string
  customerId: string
  assetName: string
  side: Side
  size: number
  price: number
  reservedAsset: string
  eventId: string
}

export type CreatedAnswer = { outcome: 'RESERVED'; amount: number } | { outcome: 'FAILED' }

export interface Tombstone {
  orderId: string
  customerId: string
  assetName: string
  side: Side
  price: number | null
  closedBy: ClosedBy
}

/** What a tombstone row reads as once written (so later events of the same run see it). */
export const tombstoneRow = (t: Tombstone): OrderReservation => ({
  ...t,
  size: null,
  outcome: 'AWAITING_ORDER',
  reservedAsset: null,
  reservedAmount: 0,
  heldAmount: 0,
  releasedAmount: 0,
  consumedAmount: 0,
  filledSize: 0,
})

/** One key per order (ids compared in PostgreSQL's lower-case form). */
export const orderKey = (orderId: string) => orderId.toLowerCase()

/** The rows of lockPart by orderKey; an order nothing was heard of is absent. */
const reservationsOf = (rows: readonly unknown[]): Map<string, OrderReservation> =>
  new Map((rows as Row[]).map((r) => [orderKey(r.order_id), toReservation(r)]))

// Each part takes a whole run of orders (see together: a batch's parts go in one statement);
// each method runs its part alone, one statement whatever the run's length.
const parts = {
  /** The orders' rows, locked for the rest of the transaction (read them with reservationsOf). */
  lock(orderIds: readonly string[]): Part | null {
    if (!orderIds.length) return null
    return {
      sql: 'SELECT * FROM order_reservations WHERE order_id = ANY($1::uuid[]) ORDER BY order_id FOR UPDATE',
      values: [orderIds],
      rows: true,
    }
  },

  /** Remembers that the order service closed orders this service has not seen created. */
  tombstones(ts: readonly Tombstone[]): Part | null {
    if (!ts.length) return null
    return {
      sql: `INSERT INTO order_reservations (order_id, customer_id, asset_name, side, price, outcome, closed_by)
            SELECT order_id, customer_id, asset_name, side, price, 'AWAITING_ORDER', closed_by
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[])
              AS t(order_id, customer_id, asset_name, side, price, closed_by)`,
      values: [
        ts.map((t) => t.orderId),
        ts.map((t) => t.customerId),
        ts.map((t) => t.assetName),
        ts.map((t) => t.side),
        ts.map((t) => t.price),
        ts.map((t) => t.closedBy),
      ],
    }
  },

  /**
   * Records the answers to OrderCreated (one per order): `amount` held (RESERVED) or
   * nothing (FAILED). A tombstone row, if any, is filled in and keeps its closedBy.
   */
  created(answers: ReadonlyArray<{ order: CreatedOrder; answer: CreatedAnswer }>): Part | null {
    if (!answers.length) return null
    const col = <T>(f: (a: { order: CreatedOrder; answer: CreatedAnswer }) => T) => answers.map(f)
    return {
      sql: `INSERT INTO order_reservations
              (order_id, customer_id, asset_name, side, size, price, outcome, reserved_asset, reserved_amount, held_amount, created_event_id)
            SELECT order_id, customer_id, asset_name, side, size, price, outcome, reserved_asset, amount, amount, event_id
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::uuid[])
              AS a(order_id, customer_id, asset_name, side, size, price, outcome, reserved_asset, amount, event_id)
            ON CONFLICT (order_id) DO UPDATE SET
              size = EXCLUDED.size, price = EXCLUDED.price, outcome = EXCLUDED.outcome, reserved_asset = EXCLUDED.reserved_asset,
              reserved_amount = EXCLUDED.reserved_amount, held_amount = EXCLUDED.held_amount,
              created_event_id = EXCLUDED.created_event_id, updated_at = now()
            WHERE order_reservations.outcome = 'AWAITING_ORDER'`,
      values: [
        col((a) => a.order.orderId),
        col((a) => a.order.customerId),
        col((a) => a.order.assetName),
        col((a) => a.order.side),
        col((a) => a.order.size),
        col((a) => a.order.price),
        col((a) => a.answer.outcome),
        col((a) => a.order.reservedAsset),
        col((a) => (a.answer.outcome === 'RESERVED' ? a.answer.amount : 0)),
        col((a) => a.order.eventId),
      ],
    }
  },

  /**
   * Moves each `amount` from held to released and records who closed the order (the
   * first closer stays); releases of one order add up. Only rows stored before the statement
   * are changed (a tombstone written in the same statement is not seen; a release of one is 0).
   */
  releases(releases: ReadonlyArray<{ orderId: string; amount: number; closedBy: ClosedBy }>): Part | null {
    if (!releases.length) return null
    const byOrder = new Map<string, { orderId: string; amount: number; closedBy: ClosedBy }>()
    for (const r of releases) {
      const sum = byOrder.get(orderKey(r.orderId))
      if (sum) sum.amount += r.amount
      else byOrder.set(orderKey(r.orderId), { ...r })
    }
    const sums = [...byOrder.values()]
    return {
      sql: `UPDATE order_reservations o
            SET held_amount = o.held_amount - r.amount, released_amount = o.released_amount + r.amount,
                closed_by = coalesce(o.closed_by, r.closed_by), updated_at = now()
            FROM unnest($1::uuid[], $2::bigint[], $3::text[]) AS r(order_id, amount, closed_by)
            WHERE o.order_id = r.order_id`,
      values: [sums.map((r) => r.orderId), sums.map((r) => r.amount), sums.map((r) => r.closedBy)],
    }
  },
}

export function createOrderReservations() {
  return {
    parts,
    reservationsOf,

    /** The orders' rows, locked for the rest of the transaction, by orderKey; an order nothing was heard of is absent. */
    async lockMany(tx: Queryable, orderIds: string[]): Promise<Map<string, OrderReservation>> {
      return reservationsOf((await together(tx, { locked: parts.lock(orderIds) })).locked)
    },
  }
}

export type OrderReservations = ReturnType<typeof createOrderReservations>
