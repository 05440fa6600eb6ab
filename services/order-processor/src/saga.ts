import { newEnvelope, type AnyEnvelope, type EventData } from '@brokerage/contracts'
import { defineHandlers, type Db, type EventEnvelope, type Logger, type Metrics, type Outbox, type Queryable } from '@brokerage/platform'
import type { Changes, EngineEvent } from './engine/engine.js'

// The settlement saga manager. Every trade the engine makes is followed leg by leg (one leg
// per customer order; the MARKET side has none) until the asset service answers:
// - AssetTransferred for a leg → SettlementCompleted for that order (filledSize so far,
//   remainingSize). The asset service settles all legs of a trade in one transaction, so one
//   leg settled means the whole trade is.
// - AssetTransferFailed for any leg, or no answer within the timeout (the sweeper) → every
//   still-pending leg of the trade fails: OrderFailed for each of its orders, and the order is
//   taken off the book through the engine's own input (OrderCancelRequested), so the book keeps
//   one writer. Both orders of a failed crossing trade fail: the engine has already counted the
//   trade against both, and putting size back into a book others have traded since would
//   reorder priorities; failing both and releasing both reservations is the consistent answer.
// - An AssetTransferred after the leg timed out still records the fill: the balances moved, so
//   SettlementCompleted goes out (the order service keeps the order FAILED and adds the fill).
//
// The cancel sent with OrderFailed says REQUESTED (the only reasons the schema has); the order
// service has already made the order FAILED by the time the engine's answer reaches it (both
// travel on processor.events under the customer's key, OrderFailed first), so it ignores it.

export type FailureReason = EventData<'OrderFailed'>['reason']

interface LegRow {
  tradeId: string
  orderId: string
  customerId: string
  assetName: string
  side: 'BUY' | 'SELL'
  size: number
  price: number
  orderSize: number
}

/** A leg as recordTrades stores it. */
export interface NewLeg {
  trade_id: string
  order_id: string
  customer_id: string
  asset_name: string
  side: 'BUY' | 'SELL'
  size: number
  price: number
  order_size: number
}

const legColumns = (t = '') => `${t}trade_id AS "tradeId", ${t}order_id AS "orderId", ${t}customer_id AS "customerId",
  ${t}asset_name AS "assetName", ${t}side AS side, ${t}size AS size, ${t}price AS price, ${t}order_size AS "orderSize"`
const LEG_COLUMNS = legColumns()

export const SAGA_TOPICS = ['asset.events']

export function createSettlementSaga(deps: { db: Db; outbox: Outbox; now: () => Date; log: Logger; metrics?: Metrics }) {
  const { db, outbox, now, log, metrics } = deps

  /** A leg's saga, from the match to SettlementCompleted or OrderFailed; counted once its transaction commits. */
  function ended(tx: Queryable, leg: { matchedAt: Date }, at: Date, outcome: 'SETTLED' | FailureReason) {
    if (metrics)
      db.afterCommit(tx, () =>
        metrics.sagaDuration.observe({ saga: 'order_settlement', outcome }, (at.getTime() - leg.matchedAt.getTime()) / 1000),
      )
  }

  async function filledSize(tx: Queryable, orderId: string): Promise<number> {
    const { rows } = await tx.query<{ n: number }>(
      `SELECT coalesce(sum(size), 0)::bigint AS n FROM settlement_legs WHERE order_id = $1 AND status = 'SETTLED'`,
      [orderId],
    )
    return Number(rows[0]!.n)
  }

  /** Fails every pending leg of the trade; OrderFailed and the book removal for each order not failed before. */
  async function failTrade(tx: Queryable, tradeId: string, reason: FailureReason, cause: AnyEnvelope | null): Promise<number> {
    const at = now()
    const { rows } = await tx.query<LegRow & { matchedAt: Date; failedBefore: boolean }>(
      `WITH failed AS (
         UPDATE settlement_legs SET status = 'FAILED', failure_reason = $2, closed_at = $3
         WHERE trade_id = $1 AND status = 'PENDING'
         RETURNING ${LEG_COLUMNS}, matched_at AS "matchedAt")
       SELECT f.*, EXISTS (SELECT 1 FROM settlement_legs o WHERE o.order_id = f."orderId" AND o.trade_id <> $1 AND o.status = 'FAILED')
         AS "failedBefore"
       FROM failed f`,
      [tradeId, reason, at],
    )
    const options = cause ? { causedBy: cause, now: at } : { now: at }
    for (const leg of rows) {
      ended(tx, leg, at, reason)
      if (leg.failedBefore) continue
      const failed = newEnvelope(
        'OrderFailed',
        {
          orderId: leg.orderId,
          customerId: leg.customerId,
          assetName: leg.assetName,
          side: leg.side,
          tradeId,
          filledSize: await filledSize(tx, leg.orderId),
          reason,
          failedAt: at.toISOString(),
        },
        options,
      )
      const takeOff = newEnvelope(
        'OrderCancelRequested',
        { orderId: leg.orderId, customerId: leg.customerId, assetName: leg.assetName, reason: 'REQUESTED', requestedAt: at.toISOString() },
        options,
      )
      await outbox.add(tx, failed as EventEnvelope, takeOff as EventEnvelope)
    }
    return rows.length
  }

  return {
    /** The legs of the trades a command just made, to be recorded with recordTrades. */
    legsOf(events: readonly EngineEvent[], changed: Changes): NewLeg[] {
      const legs: NewLeg[] = []
      for (const e of events) {
        if (e.type !== 'OrderMatched') continue
        const t = e.data
        for (const [side, leg] of [
          ['BUY', t.buy],
          ['SELL', t.sell],
        ] as const) {
          if (!leg) continue
          const order = changed.added.find((o) => o.orderId === leg.orderId) ?? changed.updated.find((o) => o.orderId === leg.orderId)
          if (!order) throw new Error(`trade ${t.tradeId}: order ${leg.orderId} is not among the changed orders`)
          legs.push({
            trade_id: t.tradeId,
            order_id: leg.orderId,
            customer_id: leg.customerId,
            asset_name: t.assetName,
            side,
            size: t.size,
            price: t.price,
            order_size: order.size,
          })
        }
      }
      return legs
    },

    /** Starts following the trades the engine just made (one statement for a batch's), in the transaction that emits them. */
    async recordTrades(tx: Queryable, legs: readonly NewLeg[], at: Date): Promise<void> {
      if (!legs.length) return
      await tx.query(
        `INSERT INTO settlement_legs (trade_id, order_id, customer_id, asset_name, side, size, price, order_size, status, matched_at)
         SELECT l.trade_id, l.order_id, l.customer_id, l.asset_name, l.side, l.size, l.price, l.order_size, 'PENDING', $2
         FROM jsonb_to_recordset($1::jsonb) AS l(trade_id uuid, order_id uuid, customer_id uuid, asset_name text,
           side text, size bigint, price bigint, order_size bigint)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(legs), at],
      )
    },

    handlers: defineHandlers({
      // Set-based: a run of settlements is one statement (lock the legs in key order, settle
      // those not settled yet, each with what its order had filled before the statement) and
      // the outbox, however long the run. Fills of one order add up in run order.
      AssetTransferred: {
        batch: async (events, { tx }) => {
          const at = now()
          const { rows } = await tx.query<LegRow & { was: 'PENDING' | 'FAILED'; matchedAt: Date; filledBefore: number }>(
            `WITH locked AS (
               SELECT l.trade_id, l.order_id, l.status FROM settlement_legs l
               JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[]) AS g(trade_id, order_id)) g USING (trade_id, order_id)
               ORDER BY l.trade_id, l.order_id
               FOR UPDATE OF l
             )
             UPDATE settlement_legs l SET status = 'SETTLED', closed_at = $3
             FROM locked k
             WHERE l.trade_id = k.trade_id AND l.order_id = k.order_id AND k.status <> 'SETTLED'
             RETURNING ${legColumns('l.')}, k.status AS was,
               l.matched_at AS "matchedAt",
               (SELECT coalesce(sum(s.size), 0) FROM settlement_legs s WHERE s.order_id = l.order_id AND s.status = 'SETTLED')::bigint
                 AS "filledBefore"`,
            [events.map((e) => e.data.tradeId), events.map((e) => e.data.orderId), at],
          )
          const settled = new Map(rows.map((r) => [`${r.tradeId}/${r.orderId}`, r]))
          const filled = new Map(rows.map((r) => [r.orderId, r.filledBefore]))
          const out: EventEnvelope[] = []
          for (const event of events) {
            const d = event.data
            const key = `${d.tradeId.toLowerCase()}/${d.orderId.toLowerCase()}`
            const leg = settled.get(key)
            // Taken once: a second AssetTransferred of the same leg in the run finds it settled.
            settled.delete(key)
            if (!leg) {
              log.warn({ tradeId: d.tradeId, orderId: d.orderId }, 'AssetTransferred for a leg settled already or never made here; ignored')
              continue
            }
            if (leg.was === 'FAILED')
              log.warn({ tradeId: d.tradeId, orderId: d.orderId }, 'a leg given up on settled after all; its fill is recorded')
            const filledSize = filled.get(leg.orderId)! + leg.size
            filled.set(leg.orderId, filledSize)
            // A leg failed before already ended its saga; its late settlement only records the fill.
            if (leg.was === 'PENDING') ended(tx, leg, at, 'SETTLED')
            out.push(
              newEnvelope(
                'SettlementCompleted',
                {
                  tradeId: leg.tradeId,
                  orderId: leg.orderId,
                  customerId: leg.customerId,
                  assetName: leg.assetName,
                  side: leg.side,
                  size: leg.size,
                  price: leg.price,
                  filledSize,
                  remainingSize: leg.orderSize - filledSize,
                  settledAt: at.toISOString(),
                },
                { causedBy: event, now: at },
              ) as EventEnvelope,
            )
          }
          await outbox.add(tx, ...out)
        },
      },

      AssetTransferFailed: async (event, { tx }) => {
        const n = await failTrade(tx, event.data.tradeId, 'SETTLEMENT_REJECTED', event)
        if (!n) log.warn({ tradeId: event.data.tradeId }, 'AssetTransferFailed for a trade with no pending leg; ignored')
      },
    }),

    /** Fails up to `limit` trades with a leg pending since `cutoff` or before; returns how many. Safe on any number of instances. */
    async expire(cutoff: Date, limit: number): Promise<number> {
      return db.tx(async (tx) => {
        const { rows } = await tx.query<{ tradeId: string }>(
          `SELECT trade_id AS "tradeId" FROM settlement_legs WHERE status = 'PENDING' AND matched_at <= $1
           ORDER BY matched_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [cutoff, limit],
        )
        const trades = [...new Set(rows.map((r) => r.tradeId))]
        for (const tradeId of trades) await failTrade(tx, tradeId, 'SETTLEMENT_TIMEOUT', null)
        return rows.length
      })
    },
  }
}

export type SettlementSaga = ReturnType<typeof createSettlementSaga>
