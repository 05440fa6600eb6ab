import { CancelReason, NAMESPACE, Side, Tier, amount, timestamp, uuid } from './common.js'

// Produced by the order service, the one arbiter of an order's status: a
// cancel racing a reservation, or a reservation arriving after a timeout, is
// settled in its database, and the events below say what was decided.
// OrderCreated, OrderRejected and OrderCancelled go to `order.events` (keyed by
// customerId, so the asset service sees them in order); OrderConfirmed,
// OrderCancelRequested and MatchRequested go to `engine.commands` (keyed by
// assetName, so the engine, single writer per asset, sees them in order).

const orderTerms = [
  { name: 'orderId', type: uuid },
  { name: 'customerId', type: uuid },
  { name: 'assetName', type: 'string' },
  { name: 'side', type: Side },
  { name: 'size', type: 'long', doc: 'Whole units.' },
  { name: 'price', type: amount, doc: 'Limit price, kuruş per unit.' },
  { name: 'tier', type: Tier, doc: 'Customer tier when the order was placed; breaks ties in the book.' },
  { name: 'createdAt', type: timestamp },
] as const

export const OrderCreated = {
  type: 'record',
  name: 'OrderCreated',
  namespace: NAMESPACE,
  doc: 'Order stored PENDING. The asset service reserves size×price TRY (BUY) or size units (SELL).',
  fields: orderTerms,
} as const

export const OrderRejected = {
  type: 'record',
  name: 'OrderRejected',
  namespace: NAMESPACE,
  doc: 'Order is REJECTED. The asset service releases whatever it still holds for the order (a late reservation included).',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'side', type: Side },
    {
      name: 'reason',
      type: {
        type: 'enum',
        name: 'OrderRejectionReason',
        symbols: ['INSUFFICIENT_BALANCE', 'RESERVATION_TIMEOUT', 'CUSTOMER_SUSPENDED', 'INVALID_ORDER'],
      },
    },
    { name: 'rejectedAt', type: timestamp },
  ],
} as const

export const OrderCancelled = {
  type: 'record',
  name: 'OrderCancelled',
  namespace: NAMESPACE,
  doc: [
    'Order is CANCELED. The asset service releases the reservation of cancelledSize:',
    'cancelledSize×price TRY for a BUY, cancelledSize units for a SELL. Fills matched',
    'before the cancel still settle; they are not part of cancelledSize.',
  ].join(' '),
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'side', type: Side },
    { name: 'price', type: amount },
    {
      name: 'cancelledSize',
      type: 'long',
      doc: 'The whole size if the order was still PENDING; else the remainder the engine took off the book (OrderRemovedFromBook).',
    },
    { name: 'reason', type: CancelReason },
    { name: 'cancelledAt', type: timestamp },
  ],
} as const

export const OrderConfirmed = {
  type: 'record',
  name: 'OrderConfirmed',
  namespace: NAMESPACE,
  doc: 'Reservation landed while the order was PENDING: order is CONFIRMED and the engine books it.',
  fields: [...orderTerms, { name: 'confirmedAt', type: timestamp }],
} as const

export const OrderCancelRequested = {
  type: 'record',
  name: 'OrderCancelRequested',
  namespace: NAMESPACE,
  doc: [
    'Cancel of a booked order (CONFIRMED or PARTIALLY_FILLED). Only the engine knows what is',
    'still unfilled, so it takes the remainder off the book and answers OrderRemovedFromBook.',
  ].join(' '),
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'reason', type: CancelReason },
    { name: 'requestedAt', type: timestamp },
  ],
} as const

export const MatchRequested = {
  type: 'record',
  name: 'MatchRequested',
  namespace: NAMESPACE,
  doc: "A broker or admin asked to fill the order's remainder against the outside market at its limit price.",
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'requestedBy', type: 'string', doc: 'Subject (user id) of the broker or admin.' },
    { name: 'requestedAt', type: timestamp },
  ],
} as const
