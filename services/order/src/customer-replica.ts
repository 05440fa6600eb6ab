import type { CustomerStatus, Tier } from '@brokerage/contracts'
import type { Queryable } from '@brokerage/platform'

// The order service's copy of each customer's tier, status and broker (customer.events).
// Each field is last-writer-wins by the time of the event that set it, so a stale event
// (replayed, or overtaken) never undoes a newer one, whatever order they arrive in.

export interface CustomerFacts {
  customerId: string
  tier: Tier
  status: CustomerStatus
  brokerId: string | null
}

/** One field's columns and whether an incoming value at `at` may replace the stored one. */
const newer = (field: string) => `(customers.${field}_at IS NULL OR customers.${field}_at <= excluded.${field}_at)`
const pick = (field: string) =>
  `${field} = CASE WHEN ${newer(field)} THEN excluded.${field} ELSE customers.${field} END,
   ${field}_at = CASE WHEN ${newer(field)} THEN excluded.${field}_at ELSE customers.${field}_at END`

export function createCustomerReplica() {
  async function setField(db: Queryable, customerId: string, field: 'tier' | 'status' | 'broker_id', value: string | null, at: string) {
    const stamp = field === 'broker_id' ? 'broker' : field
    const { rowCount } = await db.query(
      `INSERT INTO customers (customer_id, ${field}, ${stamp}_at) VALUES ($1, $2, $3)
       ON CONFLICT (customer_id) DO UPDATE SET ${field} = excluded.${field}, ${stamp}_at = excluded.${stamp}_at
       WHERE ${newer(stamp)}`,
      [customerId, value, at],
    )
    return rowCount === 1
  }

  async function created(db: Queryable, c: CustomerFacts & { createdAt: string }): Promise<void> {
    await db.query(
      `INSERT INTO customers (customer_id, registered, tier, tier_at, status, status_at, broker_id, broker_at)
         VALUES ($1, true, $2, $5, $3, $5, $4, $5)
         ON CONFLICT (customer_id) DO UPDATE SET registered = true, ${pick('tier')}, ${pick('status')},
           broker_id = CASE WHEN ${newer('broker')} THEN excluded.broker_id ELSE customers.broker_id END,
           broker_at = CASE WHEN ${newer('broker')} THEN excluded.broker_at ELSE customers.broker_at END`,
      [c.customerId, c.tier, c.status, c.brokerId, c.createdAt],
    )
  }

  return {
    created,

    /**
     * What the customer service answered for a customer not seen here yet: registered, every
     * field stamped with the time of the customer's last change, so the events that led there
     * (CustomerCreated included) change nothing when they arrive and later ones still apply.
     */
    learned: (db: Queryable, c: CustomerFacts, asOf: string) => created(db, { ...c, createdAt: asOf }),

    /** True when the change was applied (it is not older than what is stored). */
    tierChanged: (db: Queryable, customerId: string, tier: Tier, at: string) => setField(db, customerId, 'tier', tier, at),
    statusChanged: (db: Queryable, customerId: string, status: CustomerStatus, at: string) =>
      setField(db, customerId, 'status', status, at),
    brokerAssigned: (db: Queryable, customerId: string, brokerId: string | null, at: string) =>
      setField(db, customerId, 'broker_id', brokerId, at),
  }
}

export type CustomerReplica = ReturnType<typeof createCustomerReplica>
