import { ASSET_NAME_PATTERN, ASSET_NAME_RULE, CUSTOMER_STATUSES, MAX_AMOUNT, ORDER_STATUSES, SIDES, TIERS } from '@brokerage/contracts'
import type { Channel__Output } from '@brokerage/contracts/grpc'
import { errorBodySchema } from '@brokerage/platform'

// JSON schemas of the REST API (SPEC §8). Each one both validates requests and documents
// them in the OpenAPI document at /docs, so the documentation cannot drift from the checks.

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

/** Lower-case canonical UUIDs only: ids are compared as strings (ownership checks). */
export const uuid = { type: 'string', format: 'uuid', pattern: UUID_PATTERN } as const

/** Amounts, sizes and prices: whole minor units, exact as JSON integers. */
export const positiveInt = { type: 'integer', minimum: 1, maximum: MAX_AMOUNT } as const

/** The services' own rule (contracts' vocabulary): the gateway accepts no name they refuse. */
export const assetName = {
  type: 'string',
  pattern: ASSET_NAME_PATTERN,
  description: `Asset symbol: ${ASSET_NAME_RULE}; TRY is cash`,
} as const

export const dateTime = { type: 'string', format: 'date-time', maxLength: 40 } as const
export const CHANNELS = ['EMAIL', 'SMS', 'WEB_PUSH', 'WEBSOCKET'] as const satisfies readonly Channel__Output[]
export type Channel = (typeof CHANNELS)[number]

export const tier = { type: 'string', enum: TIERS } as const
export const customerStatus = { type: 'string', enum: CUSTOMER_STATUSES } as const
export const side = { type: 'string', enum: SIDES } as const
export const orderStatus = { type: 'string', enum: ORDER_STATUSES } as const
export const channel = { type: 'string', enum: CHANNELS } as const
export const name = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const
export const email = { type: 'string', format: 'email', maxLength: 254 } as const
export const newPassword = { type: 'string', minLength: 8, maxLength: 128 } as const
export const iban = {
  type: 'string',
  pattern: '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$',
  description: 'IBAN in electronic format: upper case, no spaces',
} as const

export const pageQuery = {
  page: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
  size: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
} as const

/** A querystring schema: unknown parameters are refused like unknown body fields. */
export function query(properties: Record<string, object>, required: string[] = []) {
  return { type: 'object', additionalProperties: false, properties, ...(required.length ? { required } : {}) } as const
}

/** A JSON body schema: closed, every listed field typed. */
export function body(properties: Record<string, object>, required: string[] = []) {
  return { type: 'object', additionalProperties: false, properties, required } as const
}

export const idParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: uuid },
} as const

export const assetParams = {
  type: 'object',
  additionalProperties: false,
  required: ['assetName'],
  properties: { assetName },
} as const

/** Stripe's Idempotency-Key: 1–255 printable ASCII characters. */
export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      pattern: '^[\\x20-\\x7E]+$',
      description: 'Retries with the same key and body replay the first response for 24 h',
    },
  },
} as const

// --- responses ----------------------------------------------------------------------------

const str = { type: 'string' } as const
const int = { type: 'integer' } as const
const nullableStr = { type: ['string', 'null'] } as const

function obj(properties: Record<string, object>) {
  return { type: 'object', additionalProperties: false, required: Object.keys(properties), properties } as const
}

export function pageOf(item: object) {
  return obj({ content: { type: 'array', items: item }, page: int, size: int, totalElements: int })
}

export const customerJson = obj({
  id: str,
  name: str,
  email: str,
  tier: str,
  status: str,
  brokerId: nullableStr,
  createdAt: str,
  updatedAt: str,
})

export const brokerJson = obj({ id: str, name: str, email: str, createdAt: str })

export const movementJson = obj({
  id: str,
  customerId: str,
  kind: str,
  assetName: str,
  amount: int,
  iban: nullableStr,
  status: str,
  rejectionReason: nullableStr,
  createdAt: str,
  updatedAt: str,
})

export const balanceJson = obj({ customerId: str, assetName: str, size: int, usableSize: int })

const statusChangeJson = obj({ status: str, at: str, eventId: nullableStr, eventType: nullableStr, reason: nullableStr })

const orderFields = {
  id: str,
  customerId: str,
  assetName: str,
  side: str,
  size: int,
  price: int,
  filledSize: int,
  status: str,
  rejectionReason: nullableStr,
  createdAt: str,
  updatedAt: str,
}
export const orderJson = obj(orderFields)
export const orderWithHistoryJson = obj({ ...orderFields, history: { type: 'array', items: statusChangeJson } })

export const tradeJson = obj({ tradeId: str, orderId: str, assetName: str, side: str, size: int, price: int, settledAt: str })
export const marketJson = obj({ assetName: str, crossing: { type: 'boolean' }, updatedAt: nullableStr })
const levelJson = obj({ price: int, size: int, orders: int })
export const orderBookJson = obj({
  assetName: str,
  bids: { type: 'array', items: levelJson },
  asks: { type: 'array', items: levelJson },
  asOf: str,
})

const deliveryJson = obj({
  channel: str,
  status: str,
  attempts: int,
  lastError: nullableStr,
  sentAt: nullableStr,
  createdAt: nullableStr,
  updatedAt: nullableStr,
  nextAttemptAt: nullableStr,
})
export const notificationJson = obj({
  id: str,
  customerId: str,
  eventId: str,
  eventType: str,
  title: str,
  body: str,
  createdAt: str,
  deliveries: { type: 'array', items: deliveryJson },
})
const preferenceJson = obj({ eventType: str, channel: str, enabled: { type: 'boolean' } })
export const preferencesJson = obj({ customerId: str, preferences: { type: 'array', items: preferenceJson } })
export const LOCALES = ['en', 'tr'] as const
/** E.164, as the notification service checks it. */
export const phone = { type: 'string', pattern: '^\\+[1-9]\\d{6,14}$', description: 'E.164, e.g. +905551234567' } as const
export const pushSubscriptionJson = obj({ id: str, endpoint: str, createdAt: str })
export const contactJson = obj({
  customerId: str,
  email: nullableStr,
  phone: nullableStr,
  locale: str,
  pushSubscriptions: { type: 'array', items: pushSubscriptionJson },
  vapidPublicKey: str,
})

export const auditEventJson = obj({
  sequence: int,
  eventId: nullableStr,
  type: str,
  version: int,
  service: nullableStr,
  topic: str,
  partition: int,
  offset: int,
  key: str,
  occurredAt: str,
  sincePreviousMs: int,
  recordedAt: str,
  correlationId: nullableStr,
  causationId: nullableStr,
  data: {},
  hash: str,
  prevHash: str,
})
const derivedBalanceJson = obj({ assetName: str, size: int })
export const complianceReportJson = obj({
  customerId: str,
  from: nullableStr,
  to: nullableStr,
  generatedAt: str,
  headHash: str,
  opening: { type: 'array', items: derivedBalanceJson },
  closing: { type: 'array', items: derivedBalanceJson },
  lines: {
    type: 'array',
    items: obj({
      sequence: int,
      occurredAt: str,
      kind: str,
      eventType: str,
      eventId: str,
      referenceId: str,
      orderId: nullableStr,
      assetName: str,
      side: nullableStr,
      size: int,
      price: int,
      amount: int,
      status: str,
      reason: nullableStr,
      changes: { type: 'array', items: derivedBalanceJson },
    }),
  },
  lineCount: int,
  chainIntact: { type: 'boolean' },
})
const sagaJson = obj({ name: str, count: int, p50Ms: int, p95Ms: int, p99Ms: int, maxMs: int })
export const analyticsJson = obj({
  from: nullableStr,
  to: nullableStr,
  volume: { type: 'array', items: obj({ assetName: str, day: str, size: int, notional: int, trades: int }) },
  orderStatuses: { type: 'array', items: obj({ status: str, orders: int }) },
  sagaDurations: { type: 'array', items: sagaJson },
  reasons: { type: 'array', items: obj({ eventType: str, reason: str, count: int }) },
})

/** Every route answers errors in the one shape; documented once per status class. */
export const errorResponses = { '4xx': errorBodySchema, '5xx': errorBodySchema } as const

export function responses(status: number, schema: object, description: string) {
  return { [status]: { description, ...schema }, ...errorResponses }
}
