import type { CustomerStatus, Tier } from '@brokerage/contracts'
import { AppError, type GrpcClient } from '@brokerage/platform'
import type { CustomerFacts } from './customer-replica.js'

// The customer service itself, asked only when the replica has not heard of a customer.
// The replica follows customer.events, so right after a customer is created it can lag;
// answering 404 then would tell a customer who exists that they do not (and an
// idempotency key would keep that answer). The customer service is the source of truth:
// its NOT_FOUND is a real absence, and its failure is a 503 the caller may retry.

/** What GetCustomer answers that the order service needs (brokerage.customer.v1.Customer). */
interface CustomerMessage {
  id: string
  tier: Tier
  status: CustomerStatus
  broker_id: string
  updated_at: string
}

export interface CustomerDirectory {
  /** The customer as the customer service has it now, with the time of its last change; null if none. */
  lookup(customerId: string): Promise<{ facts: CustomerFacts; asOf: string } | null>
}

export function createCustomerDirectory(client: Pick<GrpcClient, 'call'>, opts: { deadlineMs?: number } = {}): CustomerDirectory {
  return {
    async lookup(customerId) {
      const c = await client
        .call<CustomerMessage>('GetCustomer', { id: customerId }, { deadlineMs: opts.deadlineMs ?? 3_000 })
        .catch((err: unknown) => (err instanceof AppError && err.code === 'NOT_FOUND' ? null : Promise.reject(err)))
      if (!c) return null
      return {
        facts: { customerId: c.id, tier: c.tier, status: c.status, brokerId: c.broker_id || null },
        asOf: c.updated_at,
      }
    },
  }
}
