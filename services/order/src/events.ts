import { newEnvelope, type AnyEnvelope, type Envelope } from '@brokerage/contracts'
import type { CancelReason, RejectionReason } from './domain.js'
import type { OrderRow } from './store.js'

// The events the order service emits, built from an order row. `flow` continues the
// correlation chain: the causing event, or the request id of the call that caused it.

export type Flow = { causedBy: Pick<AnyEnvelope, 'id' | 'correlationId'> } | { correlationId: string | undefined }

function options(flow: Flow, at: Date) {
  return 'causedBy' in flow ? { causedBy: flow.causedBy, now: at } : { correlationId: flow.correlationId, now: at }
}

const terms = (o: OrderRow) => ({
  orderId: o.id,
  customerId: o.customerId,
  assetName: o.assetName,
  side: o.side,
  size: o.size,
  price: o.price,
  tier: o.tier,
  createdAt: o.createdAt.toISOString(),
})

export const orderEvents = {
  created: (o: OrderRow, flow: Flow): Envelope<'OrderCreated'> => newEnvelope('OrderCreated', terms(o), options(flow, o.createdAt)),

  confirmed: (o: OrderRow, at: Date, flow: Flow): Envelope<'OrderConfirmed'> =>
    newEnvelope('OrderConfirmed', { ...terms(o), confirmedAt: at.toISOString() }, options(flow, at)),

  rejected: (o: OrderRow, reason: RejectionReason, at: Date, flow: Flow): Envelope<'OrderRejected'> =>
    newEnvelope(
      'OrderRejected',
      { orderId: o.id, customerId: o.customerId, assetName: o.assetName, side: o.side, reason, rejectedAt: at.toISOString() },
      options(flow, at),
    ),

  cancelled: (o: OrderRow, cancelledSize: number, reason: CancelReason, at: Date, flow: Flow): Envelope<'OrderCancelled'> =>
    newEnvelope(
      'OrderCancelled',
      {
        orderId: o.id,
        customerId: o.customerId,
        assetName: o.assetName,
        side: o.side,
        price: o.price,
        cancelledSize,
        reason,
        cancelledAt: at.toISOString(),
      },
      options(flow, at),
    ),

  cancelRequested: (o: OrderRow, reason: CancelReason, at: Date, flow: Flow): Envelope<'OrderCancelRequested'> =>
    newEnvelope(
      'OrderCancelRequested',
      { orderId: o.id, customerId: o.customerId, assetName: o.assetName, reason, requestedAt: at.toISOString() },
      options(flow, at),
    ),

  matchRequested: (o: OrderRow, requestedBy: string, at: Date, flow: Flow): Envelope<'MatchRequested'> =>
    newEnvelope(
      'MatchRequested',
      { orderId: o.id, customerId: o.customerId, assetName: o.assetName, requestedBy, requestedAt: at.toISOString() },
      options(flow, at),
    ),
}
