import type { AvroRecord, InferAvro } from '../avro/infer.js'
import * as asset from '../schemas/asset.js'
import * as customer from '../schemas/customer.js'
import * as notification from '../schemas/notification.js'
import * as order from '../schemas/order.js'
import * as processor from '../schemas/processor.js'
import * as security from '../schemas/security.js'
import { TOPIC_KEY, type KeyField, type Topic } from './topics.js'

export type Producer = 'customer' | 'asset' | 'order' | 'processor' | 'notification' | 'gateway'

interface EventDefinition {
  readonly schema: AvroRecord
  /** Bump for any change to the schema once published (see README). */
  readonly version: number
  readonly topic: Topic
  readonly producer: Producer
}

// The data must carry its topic's key field as a string, or it cannot be keyed.
type Keyed<D extends EventDefinition> = InferAvro<D['schema']> extends Record<KeyField<D['topic']>, string> ? D : never

function define<const D extends EventDefinition>(definition: D & Keyed<D>): D {
  return definition
}

/** Every event of the platform: its schema, current version, topic and producer. */
export const EVENTS = {
  CustomerCreated: define({ schema: customer.CustomerCreated, version: 1, topic: 'customer.events', producer: 'customer' }),
  CustomerTierChanged: define({ schema: customer.CustomerTierChanged, version: 1, topic: 'customer.events', producer: 'customer' }),
  CustomerStatusChanged: define({ schema: customer.CustomerStatusChanged, version: 1, topic: 'customer.events', producer: 'customer' }),
  BrokerAssigned: define({ schema: customer.BrokerAssigned, version: 1, topic: 'customer.events', producer: 'customer' }),
  DepositRequested: define({ schema: customer.DepositRequested, version: 1, topic: 'customer.events', producer: 'customer' }),
  WithdrawalRequested: define({ schema: customer.WithdrawalRequested, version: 1, topic: 'customer.events', producer: 'customer' }),
  WithdrawalSent: define({ schema: customer.WithdrawalSent, version: 1, topic: 'customer.events', producer: 'customer' }),

  DepositCompleted: define({ schema: asset.DepositCompleted, version: 1, topic: 'asset.movements', producer: 'asset' }),
  DepositRejected: define({ schema: asset.DepositRejected, version: 1, topic: 'asset.movements', producer: 'asset' }),
  WithdrawalReserved: define({ schema: asset.WithdrawalReserved, version: 1, topic: 'asset.movements', producer: 'asset' }),
  WithdrawalRejected: define({ schema: asset.WithdrawalRejected, version: 1, topic: 'asset.movements', producer: 'asset' }),
  WithdrawalCompleted: define({ schema: asset.WithdrawalCompleted, version: 1, topic: 'asset.movements', producer: 'asset' }),
  AssetReserved: define({ schema: asset.AssetReserved, version: 1, topic: 'asset.events', producer: 'asset' }),
  AssetReservationFailed: define({ schema: asset.AssetReservationFailed, version: 1, topic: 'asset.events', producer: 'asset' }),
  AssetReleased: define({ schema: asset.AssetReleased, version: 1, topic: 'asset.events', producer: 'asset' }),
  AssetTransferred: define({ schema: asset.AssetTransferred, version: 1, topic: 'asset.events', producer: 'asset' }),
  AssetTransferFailed: define({ schema: asset.AssetTransferFailed, version: 1, topic: 'asset.events', producer: 'asset' }),

  OrderCreated: define({ schema: order.OrderCreated, version: 1, topic: 'order.events', producer: 'order' }),
  OrderRejected: define({ schema: order.OrderRejected, version: 1, topic: 'order.events', producer: 'order' }),
  OrderCancelled: define({ schema: order.OrderCancelled, version: 1, topic: 'order.events', producer: 'order' }),
  OrderConfirmed: define({ schema: order.OrderConfirmed, version: 1, topic: 'engine.commands', producer: 'order' }),
  OrderCancelRequested: define({ schema: order.OrderCancelRequested, version: 1, topic: 'engine.commands', producer: 'order' }),
  MatchRequested: define({ schema: order.MatchRequested, version: 1, topic: 'engine.commands', producer: 'order' }),

  MarketSettingsChanged: define({ schema: processor.MarketSettingsChanged, version: 1, topic: 'engine.commands', producer: 'processor' }),
  OrderMatched: define({ schema: processor.OrderMatched, version: 1, topic: 'trade.events', producer: 'processor' }),
  OrderRemovedFromBook: define({ schema: processor.OrderRemovedFromBook, version: 1, topic: 'processor.events', producer: 'processor' }),
  SettlementCompleted: define({ schema: processor.SettlementCompleted, version: 1, topic: 'processor.events', producer: 'processor' }),
  OrderFailed: define({ schema: processor.OrderFailed, version: 1, topic: 'processor.events', producer: 'processor' }),

  NotificationCreated: define({
    schema: notification.NotificationCreated,
    version: 1,
    topic: 'notification.events',
    producer: 'notification',
  }),

  SignedIn: define({ schema: security.SignedIn, version: 1, topic: 'security.events', producer: 'gateway' }),
  SignInFailed: define({ schema: security.SignInFailed, version: 1, topic: 'security.events', producer: 'gateway' }),
  SessionRefreshed: define({ schema: security.SessionRefreshed, version: 1, topic: 'security.events', producer: 'gateway' }),
  SessionsEnded: define({ schema: security.SessionsEnded, version: 1, topic: 'security.events', producer: 'gateway' }),
  PasswordChanged: define({ schema: security.PasswordChanged, version: 1, topic: 'security.events', producer: 'gateway' }),
} as const

export type EventType = keyof typeof EVENTS
export type EventData<T extends EventType> = InferAvro<(typeof EVENTS)[T]['schema']>
export type EventTopic<T extends EventType> = (typeof EVENTS)[T]['topic']

export const EVENT_TYPES = Object.freeze(Object.keys(EVENTS)) as readonly EventType[]

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENTS, value)
}

export function topicOf<T extends EventType>(type: T): EventTopic<T> {
  return EVENTS[type].topic
}

/** Current schema version of an event type: the one `newEnvelope` and encode write. */
export function versionOf(type: EventType): number {
  return EVENTS[type].version
}

/** Event types published on a topic: what a consumer of that topic must handle (or skip). */
export function eventsOn(topic: Topic): EventType[] {
  return EVENT_TYPES.filter((type) => EVENTS[type].topic === topic)
}

/**
 * The partition key of an event: its topic's key field, read from the data.
 * Producers never choose a key; `newEnvelope` sets it from this rule.
 */
export function keyOf<T extends EventType>(type: T, data: EventData<T>): string {
  const field = TOPIC_KEY[topicOf(type)]
  return (data as Record<string, unknown>)[field] as string
}
