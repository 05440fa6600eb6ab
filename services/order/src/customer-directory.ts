import { AppError, type ServiceClient } from '@brokerage/platform'
import type { CustomerFacts } from './customer-replica.js'

// The customer service itself, asked only when the replica has not heard of a customer.
// The replica follows customer.events, so right after a customer is created it can lag;
// answering 404 then would tell a customer who exists that they do not (and an
// idempotency key would keep that answer). The customer service is the source of truth:
// its NOT_FOUND is a real absence, and its failure is a 503 the caller may retry.

export interface CustomerDirectory {
  /** The customer as the customer service has it now, with the time of its last change; null if none. */
  lookup(customerId: string): Promise<{ facts: CustomerFacts; asOf: string } | null>
}

export function createCustomerDirectory(
  client: Pick<ServiceClient<'customer'>, 'call'>,
  opts: { deadlineMs?: number } = {},
): CustomerDirectory {
  return {
    async lookup(customerId) {
      const c = await client
        .call('GetCustomer', { id: customerId }, { deadlineMs: opts.deadlineMs ?? 3_000 })
        .catch((err: unknown) => (err instanceof AppError && err.code === 'NOT_FOUND' ? null : Promise.reject(err)))
      if (!c) return null
      // The customer service always sets both; an unset one is a broken answer, not a customer.
      if (c.tier === 'TIER_UNSPECIFIED' || c.status === 'CUSTOMER_STATUS_UNSPECIFIED') {
        throw new AppError('INTERNAL', `customer service answered customer ${c.id} without a tier or status`)
      }
      return {
        facts: { customerId: c.id, tier: c.tier, status: c.status, brokerId: c.broker_id || null },
        asOf: c.updated_at,
      }
    },
  }
}
