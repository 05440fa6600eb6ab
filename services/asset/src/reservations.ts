import type { Queryable } from '@brokerage/platform/postgres'
import type { Side } from '@brokerage/contracts'

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

export function createOrderReservations() {
  return {
    /** The order's row, locked for the rest of the transaction; null if nothing was heard of it. */
    async lock(tx: Queryable, orderId: string): Promise<OrderReservation | null> {
      const { rows } = await tx.query<Row>('SELECT * FROM order_reservations WHERE order_id = $1 FOR UPDATE', [orderId])
      return rows[0] ? toReservation(rows[0]) : null
    },

    /** Remembers that the order service closed an order this service has not seen created. */
    async tombstone(
      tx: Queryable,
      t: { orderId: string; customerId: string; assetName: string; side: Side; price: number | null; closedBy: ClosedBy },
    ): Promise<void> {
      await tx.query(
        `INSERT INTO order_reservations (order_id, customer_id, asset_name, side, price, outcome, closed_by)
         VALUES ($1, $2, $3, $4, $5, 'AWAITING_ORDER', $6)`,
        [t.orderId, t.customerId, t.assetName, t.side, t.price, t.closedBy],
      )
    },

    /**
     * Records the answer to OrderCreated: `amount` held (RESERVED) or nothing (FAILED). A
     * tombstone row, if any, is filled in and keeps its closedBy.
     */
    async recordCreated(tx: Queryable, o: CreatedOrder, answer: { outcome: 'RESERVED'; amount: number } | { outcome: 'FAILED' }) {
      const amount = answer.outcome === 'RESERVED' ? answer.amount : 0
      await tx.query(
        `INSERT INTO order_reservations
           (order_id, customer_id, asset_name, side, size, price, outcome, reserved_asset, reserved_amount, held_amount, created_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)
         ON CONFLICT (order_id) DO UPDATE SET
           size = EXCLUDED.size, price = EXCLUDED.price, outcome = EXCLUDED.outcome, reserved_asset = EXCLUDED.reserved_asset,
           reserved_amount = EXCLUDED.reserved_amount, held_amount = EXCLUDED.held_amount,
           created_event_id = EXCLUDED.created_event_id, updated_at = now()
         WHERE order_reservations.outcome = 'AWAITING_ORDER'`,
        [o.orderId, o.customerId, o.assetName, o.side, o.size, o.price, answer.outcome, o.reservedAsset, amount, o.eventId],
      )
    },

    /** Moves `amount` from held to released and records who closed the order (the first closer stays). */
    async release(tx: Queryable, orderId: string, amount: number, closedBy: ClosedBy): Promise<void> {
      await tx.query(
        `UPDATE order_reservations
         SET held_amount = held_amount - $2, released_amount = released_amount + $2,
             closed_by = coalesce(closed_by, $3), updated_at = now()
         WHERE order_id = $1`,
        [orderId, amount, closedBy],
      )
    },
  }
}

export type OrderReservations = ReturnType<typeof createOrderReservations>
