import { NAMESPACE, Side, amount, timestamp, uuid } from './common.js'

// Produced by the asset service, keyed by customerId: deposit and withdrawal answers on
// `asset.movements`, the rest on `asset.events`. Every
// balance change in the platform is one of these, so replaying them (with the
// MARKET account) must conserve every asset (SPEC §2).

const movementFields = [
  { name: 'movementId', type: uuid },
  { name: 'customerId', type: uuid },
  { name: 'assetName', type: 'string' },
  { name: 'amount', type: amount },
] as const

export const DepositCompleted = {
  type: 'record',
  name: 'DepositCompleted',
  namespace: NAMESPACE,
  fields: [...movementFields, { name: 'completedAt', type: timestamp }],
} as const

export const DepositRejected = {
  type: 'record',
  name: 'DepositRejected',
  namespace: NAMESPACE,
  doc: 'Answer to DepositRequested when nothing could be credited; no balance changed.',
  fields: [
    ...movementFields,
    {
      name: 'reason',
      type: {
        type: 'enum',
        name: 'DepositRejectionReason',
        doc: 'BALANCE_LIMIT_EXCEEDED: the balance would pass 2^53−1 minor units, the most the platform holds exactly.',
        symbols: ['BALANCE_LIMIT_EXCEEDED', 'INVALID_AMOUNT'],
      },
    },
    { name: 'rejectedAt', type: timestamp },
  ],
} as const

export const WithdrawalReserved = {
  type: 'record',
  name: 'WithdrawalReserved',
  namespace: NAMESPACE,
  doc: 'usableSize lowered by amount; size follows at WithdrawalCompleted.',
  fields: [...movementFields, { name: 'reservedAt', type: timestamp }],
} as const

export const WithdrawalRejected = {
  type: 'record',
  name: 'WithdrawalRejected',
  namespace: NAMESPACE,
  fields: [
    ...movementFields,
    {
      name: 'reason',
      type: {
        type: 'enum',
        name: 'WithdrawalRejectionReason',
        symbols: ['INSUFFICIENT_BALANCE', 'IBAN_REQUIRED', 'INVALID_AMOUNT'],
      },
    },
    { name: 'rejectedAt', type: timestamp },
  ],
} as const

export const WithdrawalCompleted = {
  type: 'record',
  name: 'WithdrawalCompleted',
  namespace: NAMESPACE,
  doc: 'The reserved amount has left: size lowered by amount.',
  fields: [...movementFields, { name: 'completedAt', type: timestamp }],
} as const

export const AssetReserved = {
  type: 'record',
  name: 'AssetReserved',
  namespace: NAMESPACE,
  doc: 'Answer to OrderCreated. The order service confirms the order (OrderConfirmed) unless it has left PENDING meanwhile.',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string', doc: 'The asset reserved: TRY for a BUY, the traded asset for a SELL.' },
    { name: 'amount', type: amount, doc: 'size×price kuruş for a BUY, size units for a SELL.' },
    { name: 'reservedAt', type: timestamp },
  ],
} as const

export const AssetReservationFailed = {
  type: 'record',
  name: 'AssetReservationFailed',
  namespace: NAMESPACE,
  doc: 'Answer to OrderCreated when nothing could be reserved; nothing is held for the order.',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string', doc: 'The asset that was needed (TRY for a BUY).' },
    { name: 'amount', type: amount, doc: 'What was needed.' },
    { name: 'availableAmount', type: amount, doc: 'usableSize at the time.' },
    {
      name: 'reason',
      type: { type: 'enum', name: 'ReservationFailureReason', symbols: ['INSUFFICIENT_BALANCE', 'INVALID_ORDER'] },
    },
    { name: 'failedAt', type: timestamp },
  ],
} as const

export const AssetReleased = {
  type: 'record',
  name: 'AssetReleased',
  namespace: NAMESPACE,
  doc: 'A reservation (or what was left of it) went back to usableSize.',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'amount', type: amount },
    {
      name: 'reason',
      type: { type: 'enum', name: 'ReleaseReason', symbols: ['ORDER_CANCELLED', 'ORDER_REJECTED', 'ORDER_FAILED'] },
    },
    { name: 'releasedAt', type: timestamp },
  ],
} as const

const BalanceChange = {
  type: 'record',
  name: 'BalanceChange',
  doc: 'Signed change of one balance row of this customer.',
  fields: [
    { name: 'assetName', type: 'string' },
    { name: 'sizeDelta', type: 'long' },
    { name: 'usableSizeDelta', type: 'long' },
  ],
} as const

export const AssetTransferred = {
  type: 'record',
  name: 'AssetTransferred',
  namespace: NAMESPACE,
  doc: [
    'One customer order leg of a trade (OrderMatched) settled. Both customer legs of a trade',
    'and their MARKET counter-legs settle in one local transaction; one event per customer leg.',
  ].join(' '),
  fields: [
    { name: 'tradeId', type: uuid },
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string', doc: 'The traded asset.' },
    { name: 'side', type: Side },
    { name: 'size', type: amount, doc: 'Units filled by this trade.' },
    { name: 'price', type: amount, doc: 'Execution price.' },
    {
      name: 'changes',
      type: { type: 'array', items: BalanceChange },
      doc: 'For a BUY: TRY size −q×p and usableSize +q×(limit−p), asset +q/+q. For a SELL: asset size −q, TRY +q×p/+q×p.',
    },
    { name: 'transferredAt', type: timestamp },
  ],
} as const

export const AssetTransferFailed = {
  type: 'record',
  name: 'AssetTransferFailed',
  namespace: NAMESPACE,
  doc: 'A trade could not be settled; nothing of it was applied. The processor compensates (OrderFailed).',
  fields: [
    { name: 'tradeId', type: uuid },
    { name: 'orderId', type: uuid, doc: 'The customer order whose leg failed.' },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    {
      name: 'reason',
      type: { type: 'enum', name: 'TransferFailureReason', symbols: ['RESERVATION_MISSING', 'INSUFFICIENT_RESERVATION'] },
    },
    { name: 'failedAt', type: timestamp },
  ],
} as const
