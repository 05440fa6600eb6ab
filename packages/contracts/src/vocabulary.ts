// The platform's words, each defined once: the gateway's JSON schemas, every service's
// request checks and domain types, and the Avro enums (schemas/common.ts) all take them
// from here, so the gateway never accepts what a service refuses. The SQL CHECKs in the
// services' migrations spell the same lists. No logic beyond the lists and the pattern.

/** An asset symbol: 2–12 capital letters or digits, starting with a letter (AAPL, XU030, TRY). */
export const ASSET_NAME_PATTERN = '^[A-Z][A-Z0-9]{1,11}$'
export const ASSET_NAME = new RegExp(ASSET_NAME_PATTERN)
/** How to say what ASSET_NAME_PATTERN wants, in an error's field message. */
export const ASSET_NAME_RULE = '2–12 capital letters or digits, starting with a letter'

/** The cash asset (kuruş): the default of a deposit or withdrawal, what a BUY reserves, never traded. */
export const CASH_ASSET = 'TRY'

/**
 * The largest amount, size, price or size × price anything accepts: what an event's Avro long
 * holds (avsc keeps longs within ±(2^53 − 2), one short of Number.MAX_SAFE_INTEGER). A larger
 * one would pass a request's checks and fail the service writing its event.
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER - 1

const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z')
const AFTER_LAST_INSTANT = Date.parse('+010000-01-01T00:00:00.000Z')

/**
 * Whether an instant (ms since the epoch) is one every service can store and print: PostgreSQL
 * has no year 0, and past 9999 toISOString writes a six-digit year no service parses.
 */
export function isInstantInRange(ms: number): boolean {
  return ms >= FIRST_INSTANT && ms < AFTER_LAST_INSTANT
}

export const SIDES = ['BUY', 'SELL'] as const
export type Side = (typeof SIDES)[number]

export const TIERS = ['STANDARD', 'PREMIUM', 'VIP'] as const
export type Tier = (typeof TIERS)[number]

export const CUSTOMER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number]

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'PARTIALLY_FILLED', 'MATCHED', 'REJECTED', 'CANCELED', 'FAILED'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

export const MOVEMENT_KINDS = ['DEPOSIT', 'WITHDRAWAL'] as const
export type MovementKind = (typeof MOVEMENT_KINDS)[number]

export const MOVEMENT_STATUSES = ['REQUESTED', 'RESERVED', 'COMPLETED', 'REJECTED'] as const
export type MovementStatus = (typeof MOVEMENT_STATUSES)[number]
