import type { Customer__Output, Order__Output } from '@brokerage/contracts/grpc'
import { AppError, isAppError } from '@brokerage/platform'
import type { Clients } from './clients.js'
import { badField } from './request-context.js'
import type { AuthPrincipal } from './tokens.js'

// SPEC §1: a customer acts on their own data, a broker on their assigned customers', an
// admin on anyone's. Anything else answers exactly like a missing id (same code, same
// message), so ids cannot be probed.
const customerNotFound = () => new AppError('NOT_FOUND', 'Customer not found')
const orderNotFound = () => new AppError('NOT_FOUND', 'Order not found')
// The customer service's largest page.
const LIST_PAGE = 100

export function createAccess(clients: Clients) {
  async function fetchCustomer(id: string): Promise<Customer__Output> {
    try {
      return await clients.call('customer', 'GetCustomer', { id })
    } catch (err) {
      throw isAppError(err) && err.code === 'NOT_FOUND' ? customerNotFound() : err
    }
  }

  async function customer(p: AuthPrincipal, customerId: string): Promise<Customer__Output | undefined> {
    if (p.role === 'ADMIN') return undefined
    if (p.role === 'CUSTOMER') {
      if (p.customerId !== customerId) throw customerNotFound()
      return undefined
    }
    const c = await fetchCustomer(customerId)
    if (!p.brokerId || c.broker_id !== p.brokerId) throw customerNotFound()
    return c
  }

  return {
    fetchCustomer,

    /**
     * The ids of a broker's customers, as the customer service assigns them now. Listing
     * routes scope a broker with these rather than any service's copy of the assignments,
     * which lags a reassignment.
     */
    async brokerCustomerIds(brokerId: string): Promise<string[]> {
      const ids: string[] = []
      for (let page = 0; ; page++) {
        const res = await clients.call('customer', 'ListCustomers', {
          page: { page, size: LIST_PAGE },
          broker_id: brokerId,
          tier: 'TIER_UNSPECIFIED',
          status: 'CUSTOMER_STATUS_UNSPECIFIED',
        })
        ids.push(...res.content.map((c) => c.id))
        if (res.content.length < LIST_PAGE || ids.length >= (res.page?.total_elements ?? 0)) return ids
      }
    },

    /**
     * Resolves when `p` may act on the customer; NOT_FOUND otherwise. For a broker the
     * customer had to be fetched, and is returned so the caller need not fetch it again.
     */
    customer,

    /** The order, when `p` may see it; NOT_FOUND otherwise (fetched first, then the owner checked). */
    async order(p: AuthPrincipal, orderId: string): Promise<Order__Output> {
      let o: Order__Output
      try {
        o = await clients.call('order', 'GetOrder', { id: orderId })
      } catch (err) {
        throw isAppError(err) && err.code === 'NOT_FOUND' ? orderNotFound() : err
      }
      if (p.role === 'ADMIN') return o
      if (p.role === 'CUSTOMER') {
        if (o.customer_id !== p.customerId) throw orderNotFound()
        return o
      }
      try {
        await customer(p, o.customer_id)
      } catch (err) {
        throw isAppError(err) && err.code === 'NOT_FOUND' ? orderNotFound() : err
      }
      return o
    },

    /**
     * The customer a per-customer route acts on: a customer's own when omitted; staff must
     * name one (`field` says where), which must be theirs to act on.
     */
    async target(p: AuthPrincipal, customerId: string | undefined, field: string): Promise<string> {
      if (p.role === 'CUSTOMER') {
        if (customerId !== undefined && customerId !== p.customerId) throw customerNotFound()
        return p.customerId!
      }
      if (customerId === undefined) throw badField(field, `is required for ${p.role}`)
      await customer(p, customerId)
      return customerId
    },
  }
}

export type Access = ReturnType<typeof createAccess>
