import { CASH_ASSET, newEnvelope, type Envelope, type EventData, type EventType, type Side } from '@brokerage/contracts'
import { addLogFields, defineHandlers, type Logger, type Outbox, type Queryable } from '@brokerage/platform'
import { MARKET_CUSTOMER_ID } from './accounts.js'
import type { BalanceChange, Cause, Ledger } from './ledger.js'
import { orderKey, type OrderReservation, type OrderReservations } from './reservations.js'

// Settlement of trades (SPEC §2's fill rows) and its compensation. A trade (OrderMatched)
// settles every leg in one transaction with its inbox row, drawing each customer leg from its
// order's reservation (held → consumed); the side that is null is the outside market, whose
// account (MARKET_CUSTOMER_ID) may go negative. Fill of q at p:
//   BUY, limit L:  TRY size −q×p, usable +q×(L−p) (price improvement back); asset size +q, usable +q
//                  (q×L leaves the reservation)
//   SELL:          asset size −q (q units leave the reservation); TRY size +q×p, usable +q×p
// A trade is answered once (the settlements table): AssetTransferred per customer leg, or, when
// any leg cannot be drawn from its reservation, nothing applied and AssetTransferFailed per
// failing leg (the processor then fails the trade's orders). An order closed FAILED, or one that
// no longer holds enough (OrderFailed released it), cannot settle; an order cancelled after the
// fill still can: the cancel released only the unfilled remainder (cancelRelease), so the fill's
// part is still held.
//
// OrderFailed releases everything the order still holds (AssetReleased, ORDER_FAILED).

type TransferFailure = EventData<'AssetTransferFailed'>['reason']

interface Leg {
  side: Side
  orderId: string
  customerId: string
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function product(a: number, b: number): number {
  const p = BigInt(a) * BigInt(b)
  if (p > MAX_SAFE) throw new Error(`${a}×${b} is beyond the exact integer range`)
  return Number(p)
}

/** What the fill takes from the reservation, or why it cannot. */
function draw(r: OrderReservation | undefined, leg: Leg, t: EventData<'OrderMatched'>, log: Logger): number | TransferFailure {
  if (
    !r ||
    r.outcome !== 'RESERVED' ||
    r.side !== leg.side ||
    r.assetName !== t.assetName ||
    r.customerId.toLowerCase() !== leg.customerId.toLowerCase()
  ) {
    return 'RESERVATION_MISSING'
  }
  if ((r.closedBy as string | null) === 'FAILED' || r.closedBy === 'REJECTED') return 'INSUFFICIENT_RESERVATION'
  if (r.size !== null && r.filledSize + t.size > r.size) return 'INSUFFICIENT_RESERVATION'
  const limit = r.price!
  if (leg.side === 'BUY' ? t.price > limit : t.price < limit) {
    log.error({ price: t.price, limit }, 'trade price beyond the order limit; refused')
    return 'INSUFFICIENT_RESERVATION'
  }
  const need = leg.side === 'BUY' ? product(t.size, limit) : t.size
  return r.heldAmount >= need ? need : 'INSUFFICIENT_RESERVATION'
}

/** The balance changes of one side of the trade (a customer leg, or MARKET for a null side). */
function changesOf(side: Side, customerId: string, t: EventData<'OrderMatched'>, limit: number): BalanceChange[] {
  const q = t.size
  const cash = product(q, t.price)
  if (customerId === MARKET_CUSTOMER_ID) {
    const sign = side === 'BUY' ? 1 : -1
    return [
      { customerId, assetName: t.assetName, sizeDelta: sign * q, usableSizeDelta: sign * q },
      { customerId, assetName: CASH_ASSET, sizeDelta: -sign * cash, usableSizeDelta: -sign * cash },
    ]
  }
  if (side === 'BUY') {
    return [
      { customerId, assetName: CASH_ASSET, sizeDelta: -cash, usableSizeDelta: product(q, limit - t.price) },
      { customerId, assetName: t.assetName, sizeDelta: q, usableSizeDelta: q },
    ]
  }
  return [
    { customerId, assetName: t.assetName, sizeDelta: -q, usableSizeDelta: 0 },
    { customerId, assetName: CASH_ASSET, sizeDelta: cash, usableSizeDelta: cash },
  ]
}

export const SETTLEMENT_GROUP = 'asset-settlement'

export function createSettlementHandlers(deps: {
  ledger: Ledger
  orders: OrderReservations
  outbox: Outbox
  log: Logger
  now?: () => Date
}) {
  const { ledger, orders, outbox, log } = deps
  const now = deps.now ?? (() => new Date())
  const at = () => now().toISOString()

  function emit<T extends EventType>(tx: Queryable, cause: Envelope, type: T, data: EventData<T>): Promise<void> {
    return outbox.add(tx, newEnvelope(type, data, { causedBy: cause, now }))
  }

  async function record(tx: Queryable, event: Envelope<'OrderMatched'>, outcome: 'SETTLED' | 'FAILED'): Promise<void> {
    const t = event.data
    await tx.query(
      `INSERT INTO settlements (trade_id, asset_name, price, size, buy_order_id, sell_order_id, outcome, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.tradeId, t.assetName, t.price, t.size, t.buy?.orderId ?? null, t.sell?.orderId ?? null, outcome, event.id],
    )
  }

  return defineHandlers({
    OrderMatched: async (event, { tx }) => {
      const t = event.data
      addLogFields({ tradeId: t.tradeId })
      const answered = await tx.query<{ outcome: string }>('SELECT outcome FROM settlements WHERE trade_id = $1', [t.tradeId])
      if (answered.rows[0]) {
        log.warn({ outcome: answered.rows[0].outcome }, 'trade already answered; a re-sent one is not settled again')
        return
      }
      const legs: Leg[] = []
      if (t.buy) legs.push({ side: 'BUY', orderId: t.buy.orderId, customerId: t.buy.customerId })
      if (t.sell) legs.push({ side: 'SELL', orderId: t.sell.orderId, customerId: t.sell.customerId })
      if (!Number.isSafeInteger(t.size) || t.size <= 0 || !Number.isSafeInteger(t.price) || t.price <= 0 || !legs.length) {
        throw new Error(`trade ${t.tradeId} has no customer leg or a size/price that is not a positive integer`)
      }

      // Locked in one order (lockMany sorts), so two trades of the same two orders cannot deadlock.
      const reservations = await orders.lockMany(
        tx,
        legs.map((l) => l.orderId),
      )
      const draws = legs.map((leg) => {
        const r = reservations.get(orderKey(leg.orderId))
        return { leg, r, need: draw(r, leg, t, log) }
      })

      const failed = draws.filter((d) => typeof d.need === 'string')
      if (failed.length) {
        log.warn({ failed: failed.map((d) => ({ orderId: d.leg.orderId, reason: d.need })) }, 'trade cannot be settled; nothing applied')
        await record(tx, event, 'FAILED')
        for (const { leg, need } of failed) {
          await emit(tx, event, 'AssetTransferFailed', {
            tradeId: t.tradeId,
            orderId: leg.orderId,
            customerId: leg.customerId,
            assetName: t.assetName,
            reason: need as TransferFailure,
            failedAt: at(),
          })
        }
        return
      }

      const cause: Cause = { eventId: event.id, eventType: event.type, referenceId: t.tradeId }
      const perLeg = draws.map(({ leg, r }) => ({ leg, changes: changesOf(leg.side, leg.customerId, t, r!.price!) }))
      const all = perLeg.flatMap((l) => l.changes)
      if (!t.buy) all.push(...changesOf('BUY', MARKET_CUSTOMER_ID, t, t.price))
      if (!t.sell) all.push(...changesOf('SELL', MARKET_CUSTOMER_ID, t, t.price))
      // Rows are locked in key order inside changeAll, so concurrent settlements cannot deadlock.
      await ledger.changeAll(tx, all, cause)
      for (const { leg, need } of draws) {
        await tx.query(
          `UPDATE order_reservations SET held_amount = held_amount - $2, consumed_amount = consumed_amount + $2,
             filled_size = filled_size + $3, updated_at = now()
           WHERE order_id = $1`,
          [leg.orderId, need, t.size],
        )
      }
      await record(tx, event, 'SETTLED')
      for (const { leg, changes } of perLeg) {
        await emit(tx, event, 'AssetTransferred', {
          tradeId: t.tradeId,
          orderId: leg.orderId,
          customerId: leg.customerId,
          assetName: t.assetName,
          side: leg.side,
          size: t.size,
          price: t.price,
          changes: changes.map((c) => ({ assetName: c.assetName, sizeDelta: c.sizeDelta, usableSizeDelta: c.usableSizeDelta })),
          transferredAt: at(),
        })
      }
    },

    OrderFailed: async (event, { tx }) => {
      const d = event.data
      addLogFields({ customerId: d.customerId, orderId: d.orderId })
      const r = (await orders.lockMany(tx, [d.orderId])).get(orderKey(d.orderId))
      if (!r || r.outcome !== 'RESERVED') {
        log.warn({ outcome: r?.outcome }, 'OrderFailed for an order that holds nothing here; nothing released')
        return
      }
      const amount = r.heldAmount
      await tx.query(
        `UPDATE order_reservations SET held_amount = 0, released_amount = released_amount + $2,
           closed_by = coalesce(closed_by, 'FAILED'), updated_at = now()
         WHERE order_id = $1`,
        [d.orderId, amount],
      )
      if (amount === 0) return
      await ledger.change(
        tx,
        { customerId: r.customerId, assetName: r.reservedAsset!, sizeDelta: 0, usableSizeDelta: amount },
        { eventId: event.id, eventType: event.type, referenceId: d.orderId },
      )
      await emit(tx, event, 'AssetReleased', {
        orderId: d.orderId,
        customerId: r.customerId,
        assetName: r.reservedAsset!,
        amount,
        reason: 'ORDER_FAILED',
        releasedAt: at(),
      })
    },
  })
}
