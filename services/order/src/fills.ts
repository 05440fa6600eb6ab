import type { AnyEnvelope, EventData } from '@brokerage/contracts'
import type { Logger, Queryable } from '@brokerage/platform'
import { BOOKED_STATUSES, type OrderStatus } from './domain.js'
import type { Cause, OrderStore } from './store.js'

// The end of the trade loop in the order service: a settled fill (SettlementCompleted) is
// stored as a trade (ListTrades serves it) and moves a booked order to PARTIALLY_FILLED or
// MATCHED; a failed settlement (OrderFailed) makes it FAILED. Kept apart from orders.ts so the
// request paths there change independently.
//
// - A trade is stored once (its key is trade + order), and filledSize grows by exactly its
//   size, so a repeated SettlementCompleted changes nothing.
// - A fill that settles after the order left the book (CANCELED for the remainder, or FAILED
//   because another trade of it failed) is real: it is stored and counted, the status stays.
// - OrderFailed ends a booked order, FAILED; an order already closed keeps its status (the
//   history says what came).

/** The status a settled fill leads to, or null when the order keeps its status. */
export function decideFill(status: OrderStatus, size: number, filledSize: number): OrderStatus | null {
  if (!BOOKED_STATUSES.includes(status)) return null
  return filledSize >= size ? 'MATCHED' : 'PARTIALLY_FILLED'
}

/** The status a failed settlement leads to, or null when the order is closed already. */
export function decideFailure(status: OrderStatus): 'FAILED' | null {
  return BOOKED_STATUSES.includes(status) ? 'FAILED' : null
}

const causeOf = (event: AnyEnvelope): Cause => ({ eventId: event.id, eventType: event.type })

export function createFills(deps: { store: OrderStore; now: () => Date; log: Logger }) {
  const { store, now, log } = deps

  return {
    async settled(tx: Queryable, event: AnyEnvelope, d: EventData<'SettlementCompleted'>): Promise<void> {
      const order = await store.get(tx, d.orderId, { lock: true })
      if (!order) {
        log.warn({ orderId: d.orderId, tradeId: d.tradeId }, 'SettlementCompleted for an unknown order ignored')
        return
      }
      const { rowCount } = await tx.query(
        `INSERT INTO trades (trade_id, order_id, asset_name, side, size, price, settled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING`,
        [d.tradeId, d.orderId, d.assetName, d.side, d.size, d.price, d.settledAt],
      )
      if (!rowCount) {
        log.warn({ orderId: d.orderId, tradeId: d.tradeId }, 'fill already recorded')
        return
      }
      const at = now()
      const filledSize = order.filledSize + d.size
      if (filledSize !== d.filledSize) log.warn({ here: filledSize, processor: d.filledSize }, 'filled sizes disagree; counting trades')
      const to = decideFill(order.status, order.size, filledSize)
      await tx.query(
        `UPDATE orders SET filled_size = $2, status = coalesce($3, status), updated_at = $4,
           cancel_requested_at = CASE WHEN $3 = 'MATCHED' THEN NULL ELSE cancel_requested_at END
         WHERE id = $1`,
        [order.id, filledSize, to, at],
      )
      await store.addHistory(tx, order.id, to ?? order.status, at, causeOf(event), to ? null : 'FILL_SETTLED')
    },

    async failed(tx: Queryable, event: AnyEnvelope, d: EventData<'OrderFailed'>): Promise<void> {
      const order = await store.get(tx, d.orderId, { lock: true })
      if (!order) {
        log.warn({ orderId: d.orderId }, 'OrderFailed for an unknown order ignored')
        return
      }
      const at = now()
      const to = decideFailure(order.status)
      if (to) await store.move(tx, [{ id: order.id, status: to, at, rejectionReason: d.reason, cause: causeOf(event), reason: d.reason }])
      else await store.addHistory(tx, order.id, order.status, at, causeOf(event), d.reason)
    },
  }
}

export type Fills = ReturnType<typeof createFills>
