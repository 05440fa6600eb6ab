import type { Envelope, EventType } from '@brokerage/contracts'
import type { EventHandler, HandlerContext } from '@brokerage/platform'
import type { CustomerReplica } from './customer-replica.js'
import type { Orders } from './orders.js'

// What the order service does with other services' events. Each runs once per event (the
// inbox), inside the consumer's transaction, which also carries the events it emits.

type Handlers = { [T in EventType]?: (event: Envelope<T>, ctx: HandlerContext) => Promise<void> }

export const CONSUMED_TOPICS = ['customer.events', 'asset.events', 'processor.events']

export function createHandlers(deps: { orders: Orders; replica: CustomerReplica }) {
  const { orders, replica } = deps
  const handlers: Handlers = {
    CustomerCreated: async ({ data }, { tx }) => {
      await replica.created(tx, data)
    },
    CustomerTierChanged: async ({ data }, { tx }) => {
      await replica.tierChanged(tx, data.customerId, data.tier, data.changedAt)
    },
    CustomerStatusChanged: async (event, { tx }) => {
      const { data } = event
      const applied = await replica.statusChanged(tx, data.customerId, data.status, data.changedAt)
      if (applied && data.status === 'SUSPENDED') await orders.customerSuspended(tx, event, data.customerId)
    },
    BrokerAssigned: async ({ data }, { tx }) => {
      await replica.brokerAssigned(tx, data.customerId, data.brokerId, data.assignedAt)
    },
    AssetReserved: (event, { tx }) => orders.reserved(tx, event, event.data),
    AssetReservationFailed: (event, { tx }) => orders.reservationFailed(tx, event, event.data),
    OrderRemovedFromBook: (event, { tx }) => orders.removedFromBook(tx, event, event.data),
    // SettlementCompleted and OrderFailed (fills) come with the settlement issue.
  }
  // The codec has checked each event against its type's schema, so the handler for a type gets that type's envelope.
  return handlers as unknown as Record<string, EventHandler>
}
