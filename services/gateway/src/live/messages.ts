import { TOPICS, type AnyEnvelope, type EventType, type OrderStatus, type Topic } from '@brokerage/contracts'
import { sidesOfTrade } from '../trade-sides.js'

/**
 * The live feed's wire format (JSON text frames), documented in the README and OpenAPI.
 *
 * Server → client:
 * - `{type:"ready", role, customerId?, subscriptions}` once the socket is open;
 * - `{type:"event", category, customerId, event, eventId, occurredAt, status?, data}`: one
 *   platform event about one customer (`data` is the event's own data, amounts in minor units;
 *   for a trade, only the customer's own side of it);
 * - `{type:"subscribed"|"unsubscribed", customerId, reason?}`;
 * - `{type:"error", code, message, request?}`: a refused or malformed client message (the socket stays open).
 *
 * Client → server: `{type:"subscribe"|"unsubscribe", customerId}`, where staff may name `"*"`
 * (an admin: every customer; a broker: every customer assigned to them, kept current).
 */
export type LiveCategory = 'order' | 'trade' | 'balance' | 'notification'

export interface LiveEventMessage {
  type: 'event'
  category: LiveCategory
  customerId: string
  event: EventType
  eventId: string
  occurredAt: string
  /** Order events: the order's status once this event is applied. */
  status?: OrderStatus
  data: unknown
}

export type ServerMessage =
  | LiveEventMessage
  | { type: 'ready'; role: string; customerId?: string; subscriptions: string[] }
  | { type: 'subscribed'; customerId: string }
  | { type: 'unsubscribed'; customerId: string; reason?: string }
  | { type: 'error'; code: string; message: string; request?: unknown }

/** Every customer, for staff subscriptions. */
export const ALL = '*'

/**
 * The topics the feed reads. engine.commands is among them only for OrderConfirmed (the
 * PENDING → CONFIRMED change goes to the engine, nowhere else); customer.events only for
 * BrokerAssigned, which moves a broker's live scope.
 */
export const LIVE_TOPICS: readonly Topic[] = [
  TOPICS.order,
  TOPICS.engine,
  TOPICS.processor,
  TOPICS.trade,
  TOPICS.asset,
  TOPICS.assetMovements,
  TOPICS.notification,
  TOPICS.customer,
]

export interface Delivery {
  customerId: string
  message: LiveEventMessage
}

/** Who an event is about, and what each of them is sent; nothing for events the feed does not forward. */
export function deliveriesOf(e: AnyEnvelope): Delivery[] {
  const to = (customerId: string, category: LiveCategory, status?: OrderStatus, data: unknown = e.data): Delivery => ({
    customerId,
    message: {
      type: 'event',
      category,
      customerId,
      event: e.type,
      eventId: e.id,
      occurredAt: e.occurredAt,
      ...(status ? { status } : {}),
      data,
    },
  })
  switch (e.type) {
    case 'OrderCreated':
      return [to(e.data.customerId, 'order', 'PENDING')]
    case 'OrderConfirmed':
      return [to(e.data.customerId, 'order', 'CONFIRMED')]
    case 'OrderRejected':
      return [to(e.data.customerId, 'order', 'REJECTED')]
    case 'OrderCancelled':
      return [to(e.data.customerId, 'order', 'CANCELED')]
    case 'SettlementCompleted':
      return [to(e.data.customerId, 'order', e.data.remainingSize === 0 ? 'MATCHED' : 'PARTIALLY_FILLED')]
    case 'OrderFailed':
      return [to(e.data.customerId, 'order', 'FAILED')]
    case 'OrderMatched':
      return sidesOfTrade(e.data).map((s) => to(s.customerId, 'trade', undefined, s.view))
    case 'AssetReserved':
    case 'AssetReservationFailed':
    case 'AssetReleased':
    case 'AssetTransferred':
    case 'AssetTransferFailed':
    case 'DepositCompleted':
    case 'DepositRejected':
    case 'WithdrawalReserved':
    case 'WithdrawalRejected':
    case 'WithdrawalCompleted':
      return [to(e.data.customerId, 'balance')]
    case 'NotificationCreated':
      return [to(e.data.customerId, 'notification')]
    default:
      return []
  }
}
