import { defineHandlers } from '@brokerage/platform'
import type { CustomerReplica } from './customer-replica.js'
import type { Fills } from './fills.js'
import type { Orders } from './orders.js'

// What the order service does with other services' events. Each runs once per event (the
// inbox), inside the consumer's transaction, which also carries the events it emits; the
// reservation answers, the saga's hot path, are handled a run at a time.

export const CONSUMED_TOPICS = ['customer.events', 'asset.events', 'processor.events']

export function createHandlers(deps: { orders: Orders; replica: CustomerReplica; fills: Fills }) {
  const { orders, replica, fills } = deps
  return defineHandlers({
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
    // Set-based: a run of answers moves its orders with a constant number of statements.
    AssetReserved: {
      batch: (events, { tx }) =>
        orders.answerReservations(
          tx,
          events.map((event) => ({ event, orderId: event.data.orderId, outcome: { reserved: true } })),
        ),
    },
    AssetReservationFailed: {
      batch: (events, { tx }) =>
        orders.answerReservations(
          tx,
          events.map((event) => ({ event, orderId: event.data.orderId, outcome: { reserved: false, reason: event.data.reason } })),
        ),
    },
    OrderRemovedFromBook: (event, { tx }) => orders.removedFromBook(tx, event, event.data),
    SettlementCompleted: (event, { tx }) => fills.settled(tx, event, event.data),
    OrderFailed: (event, { tx }) => fills.failed(tx, event, event.data),
  })
}
