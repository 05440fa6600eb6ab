import { NAMESPACE, Side, amount, nullableUuid, timestamp, uuid } from './common.js'

// Produced by the order-processor: the matching engine (one writer per asset)
// and the saga manager (settlement, timeouts, compensation). OrderMatched goes
// to `trade.events` keyed by assetName (a trade has two customers, and the
// engine's order is per asset); MarketSettingsChanged to `engine.commands`
// keyed by assetName; the rest to `processor.events` keyed by customerId.

const TradeOrder = {
  type: 'record',
  name: 'TradeOrder',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'limitPrice', type: amount, doc: 'A BUY that fills below its limit gets size×(limitPrice−price) back.' },
  ],
} as const

const counterparty = ['null', TradeOrder] as const

export const OrderMatched = {
  type: 'record',
  name: 'OrderMatched',
  namespace: NAMESPACE,
  doc: [
    'A trade. The asset service settles every leg of it in one local transaction',
    '(AssetTransferred per customer leg), the MARKET account taking the side that is null.',
  ].join(' '),
  fields: [
    { name: 'tradeId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'price', type: amount, doc: "Execution price: the resting order's price, or the limit price against the market." },
    { name: 'size', type: 'long' },
    { name: 'buy', type: counterparty, doc: 'null: the outside market bought.' },
    { name: 'sell', type: counterparty, doc: 'null: the outside market sold.' },
    {
      name: 'trigger',
      type: { type: 'enum', name: 'MatchTrigger', symbols: ['CROSSING', 'MATCH_REQUEST'] },
    },
    { name: 'matchedAt', type: timestamp },
  ],
} as const

export const OrderRemovedFromBook = {
  type: 'record',
  name: 'OrderRemovedFromBook',
  namespace: NAMESPACE,
  doc: 'Answer to OrderCancelRequested. The order service cancels the order (OrderCancelled) if remainingSize > 0.',
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'side', type: Side },
    { name: 'price', type: amount },
    {
      name: 'remainingSize',
      type: 'long',
      doc: 'Unfilled size taken off the book; 0 when the order had already been fully matched (nothing to cancel).',
    },
    { name: 'removedAt', type: timestamp },
  ],
} as const

export const SettlementCompleted = {
  type: 'record',
  name: 'SettlementCompleted',
  namespace: NAMESPACE,
  doc: 'Every leg of a trade settled; one event per customer order in it. Order becomes PARTIALLY_FILLED or MATCHED.',
  fields: [
    { name: 'tradeId', type: uuid },
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'side', type: Side },
    { name: 'size', type: 'long', doc: 'Filled by this trade.' },
    { name: 'price', type: amount, doc: 'Execution price of this trade.' },
    { name: 'filledSize', type: 'long', doc: 'Settled so far for the order, this trade included.' },
    { name: 'remainingSize', type: 'long', doc: 'Order size − filledSize; 0 means MATCHED.' },
    { name: 'settledAt', type: timestamp },
  ],
} as const

export const OrderFailed = {
  type: 'record',
  name: 'OrderFailed',
  namespace: NAMESPACE,
  doc: [
    'Settlement failed or timed out and the order was taken off the book: order is FAILED.',
    'The asset service voids unsettled trades of the order (a late OrderMatched is skipped)',
    'and releases everything still reserved for it; settled fills (filledSize) stay.',
  ].join(' '),
  fields: [
    { name: 'orderId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'side', type: Side },
    { name: 'tradeId', type: nullableUuid, doc: 'The trade whose settlement failed, when there is one.' },
    { name: 'filledSize', type: 'long' },
    {
      name: 'reason',
      type: { type: 'enum', name: 'OrderFailureReason', symbols: ['SETTLEMENT_TIMEOUT', 'SETTLEMENT_REJECTED'] },
    },
    { name: 'failedAt', type: timestamp },
  ],
} as const

export const MarketSettingsChanged = {
  type: 'record',
  name: 'MarketSettingsChanged',
  namespace: NAMESPACE,
  doc: 'Goes through the engine input so it takes effect between two orders, never during one.',
  fields: [
    { name: 'assetName', type: 'string' },
    { name: 'crossing', type: 'boolean', doc: 'true: incoming orders that cross the book trade at once (SPEC §2).' },
    { name: 'changedBy', type: 'string', doc: 'Subject (user id) of the admin.' },
    { name: 'changedAt', type: timestamp },
  ],
} as const
