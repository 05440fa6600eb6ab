import type { EventData } from '@brokerage/contracts'

export type Trade = EventData<'OrderMatched'>

/** A trade as one of its customers is shown it: their own order, never the counterparty's. */
export type OwnSideOfTrade = Omit<Trade, 'buy' | 'sell'> & { side: 'BUY' | 'SELL'; orderId: string; limitPrice: number }

/**
 * Each customer side of a trade with what that customer may see of it: the counterparty's
 * customer and order stay unknown to it, as in GET /orders/{id}/trades. The outside market's
 * side (null) has no one to show. The live feed and a customer's audit trail both show trades
 * through this, so the two cannot disagree on what is hidden.
 */
export function sidesOfTrade(trade: Trade): Array<{ customerId: string; view: OwnSideOfTrade }> {
  const { buy, sell, ...rest } = trade
  const sides = [
    ['BUY', buy],
    ['SELL', sell],
  ] as const
  return sides.flatMap(([side, o]) =>
    o ? [{ customerId: o.customerId, view: { ...rest, side, orderId: o.orderId, limitPrice: o.limitPrice } }] : [],
  )
}
