import { CASH_ASSET, type EventData, type Side } from '@brokerage/contracts'

// The balance rules of SPEC §2 that need no database: what an order must hold, what a
// cancel gives back, whether a withdrawal may even be tried. BigInt for every product,
// so an amount that does not fit a safe integer is refused rather than rounded.

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

export interface OrderTerms {
  side: Side
  assetName: string
  size: number
  price: number
}

export type OrderNeed =
  | { valid: true; assetName: string; amount: number }
  /** amount: what would be needed, or 0 when that is not a positive safe integer. */
  | { valid: false; assetName: string; amount: number; problem: string }

/** What creating the order holds: size×price TRY for a BUY, size units for a SELL. */
export function orderNeed(terms: OrderTerms): OrderNeed {
  const assetName = reservedAssetOf(terms)
  const invalid = (problem: string, amount = 0) => ({ valid: false as const, assetName, amount, problem })
  if (!Number.isSafeInteger(terms.size) || terms.size <= 0) return invalid('size must be a positive whole number')
  if (!Number.isSafeInteger(terms.price) || terms.price <= 0) {
    return invalid('price must be a positive whole number', terms.side === 'SELL' ? terms.size : 0)
  }
  if (terms.assetName === CASH_ASSET || terms.assetName.trim() === '') return invalid(`cannot trade ${JSON.stringify(terms.assetName)}`)
  if (terms.side === 'SELL') return { valid: true, assetName, amount: terms.size }
  const product = BigInt(terms.size) * BigInt(terms.price)
  if (product > MAX_SAFE) return invalid('size×price is beyond the exact integer range')
  return { valid: true, assetName, amount: Number(product) }
}

export type OrderAnswer =
  /** The order was answered before (a re-sent OrderCreated): that answer stands. */
  | { answer: 'ALREADY_ANSWERED' }
  | { answer: 'RESERVED'; amount: number }
  | { answer: 'FAILED'; reason: 'INSUFFICIENT_BALANCE' | 'INVALID_ORDER'; available: number; closedFirst: boolean }

/**
 * The answer to OrderCreated, from what is known of the order here (`AWAITING_ORDER`: a
 * cancel or reject came first) and the usable balance of what it would hold. An order
 * closed before it was seen holds nothing: a failure is the one answer that can never make
 * anything book it.
 */
export function answerOrderCreated(need: OrderNeed, known: 'AWAITING_ORDER' | 'RESERVED' | 'FAILED' | null, usable: number): OrderAnswer {
  if (known === 'RESERVED' || known === 'FAILED') return { answer: 'ALREADY_ANSWERED' }
  if (known === 'AWAITING_ORDER' || !need.valid)
    return { answer: 'FAILED', reason: 'INVALID_ORDER', available: usable, closedFirst: known === 'AWAITING_ORDER' }
  if (usable < need.amount) return { answer: 'FAILED', reason: 'INSUFFICIENT_BALANCE', available: usable, closedFirst: false }
  return { answer: 'RESERVED', amount: need.amount }
}

export function reservedAssetOf(terms: Pick<OrderTerms, 'side' | 'assetName'>): string {
  return terms.side === 'BUY' ? CASH_ASSET : terms.assetName
}

/**
 * What a cancel of `cancelledSize` units gives back: cancelledSize×price TRY for a BUY,
 * cancelledSize units for a SELL, never more than is still held (the rest may belong to
 * fills matched before the cancel and still settling).
 */
export function cancelRelease(o: { side: Side; price: number; held: number; cancelledSize: number }): number {
  if (!Number.isSafeInteger(o.cancelledSize) || o.cancelledSize <= 0) return 0
  const wanted = o.side === 'BUY' ? BigInt(o.cancelledSize) * BigInt(o.price) : BigInt(o.cancelledSize)
  return wanted < BigInt(o.held) ? Number(wanted) : o.held
}

export type WithdrawalRejection = EventData<'WithdrawalRejected'>['reason']
export type DepositRejection = EventData<'DepositRejected'>['reason']

/** The checks that need no balance; INSUFFICIENT_BALANCE is decided by the reserving update itself. */
export function withdrawalRefusal(w: { assetName: string; amount: number; iban: string | null }): WithdrawalRejection | null {
  if (!Number.isSafeInteger(w.amount) || w.amount <= 0) return 'INVALID_AMOUNT'
  if (w.assetName === CASH_ASSET && (w.iban === null || w.iban.trim() === '')) return 'IBAN_REQUIRED'
  return null
}
