// The order lifecycle as pure decisions: given what the order service knows of an order
// and what just happened, what becomes of it. No I/O here; orders.ts carries a decision
// out (row, history, events) in one transaction.

import type { OrderStatus } from '@brokerage/contracts'

// The words shared with the other services and the gateway come from the contracts' vocabulary.
export { ORDER_STATUSES, SIDES, TIERS, type OrderStatus, type Side, type Tier } from '@brokerage/contracts'

export type RejectionReason = 'INSUFFICIENT_BALANCE' | 'RESERVATION_TIMEOUT' | 'CUSTOMER_SUSPENDED' | 'INVALID_ORDER'
export type CancelReason = 'REQUESTED' | 'CUSTOMER_SUSPENDED'

/** In the engine's book: only the engine knows what is still unfilled. */
export const BOOKED_STATUSES: readonly OrderStatus[] = ['CONFIRMED', 'PARTIALLY_FILLED']

export interface OrderFacts {
  status: OrderStatus
  size: number
  filledSize: number
  /** A cancel has gone to the engine and its answer has not come back. */
  cancelInFlight: boolean
}

export type Refusal = { ok: false; message: string }

export type CancelDecision =
  /** Not in the book yet: cancel here and now; the asset service releases the whole reservation. */
  | { ok: true; kind: 'cancel-now'; cancelledSize: number }
  /** In the book: ask the engine, which answers with what it took off. */
  | { ok: true; kind: 'ask-engine' }
  | Refusal

export function decideCancel(o: OrderFacts): CancelDecision {
  if (o.status === 'PENDING') return { ok: true, kind: 'cancel-now', cancelledSize: o.size - o.filledSize }
  if (BOOKED_STATUSES.includes(o.status)) {
    if (o.cancelInFlight) return { ok: false, message: 'a cancel of this order is already in progress' }
    return { ok: true, kind: 'ask-engine' }
  }
  return { ok: false, message: `order is ${o.status}: nothing left to cancel` }
}

export function decideMatch(o: OrderFacts): { ok: true } | Refusal {
  if (!BOOKED_STATUSES.includes(o.status)) {
    return { ok: false, message: o.status === 'PENDING' ? 'order is not in the book yet (PENDING)' : `order is ${o.status}` }
  }
  if (o.cancelInFlight) return { ok: false, message: 'order is being cancelled' }
  return { ok: true }
}

/**
 * A reservation, its failure, or its timeout only decides a PENDING order: once the order
 * is cancelled or rejected, a late answer changes nothing here (the asset service releases
 * a late reservation on OrderCancelled / OrderRejected).
 */
export function decideReservation(
  o: OrderFacts,
  outcome: { reserved: true } | { reserved: false; reason: RejectionReason },
): { to: 'CONFIRMED' } | { to: 'REJECTED'; reason: RejectionReason } | null {
  if (o.status !== 'PENDING') return null
  return outcome.reserved ? { to: 'CONFIRMED' } : { to: 'REJECTED', reason: outcome.reason }
}

/**
 * The engine's answer to a cancel: what it took off the book is cancelled; a filled part
 * stays filled. remainingSize 0 means nothing was left (fully matched): the order keeps its
 * status and settlement brings it to MATCHED; the cancel is simply over.
 */
export function decideRemovedFromBook(
  status: OrderStatus,
  remainingSize: number,
): { kind: 'cancel'; cancelledSize: number } | { kind: 'nothing-left' } | null {
  if (!BOOKED_STATUSES.includes(status)) return null
  if (remainingSize > 0) return { kind: 'cancel', cancelledSize: remainingSize }
  return { kind: 'nothing-left' }
}
