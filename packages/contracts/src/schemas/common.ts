import { CUSTOMER_STATUSES, SIDES, TIERS } from '../vocabulary.js'

// Building blocks shared by the event schemas. Named types (enums, records)
// are written once here and inlined wherever used; `normalizeSchema` turns
// repeats into Avro name references.

export const NAMESPACE = 'brokerage.events'

export const uuid = { type: 'string', logicalType: 'uuid' } as const
export const nullableUuid = ['null', uuid] as const
/** ISO-8601 UTC, as `Date#toISOString()` writes it: readable in JSON and in the audit log. */
export const timestamp = { type: 'string', logicalType: 'iso-datetime' } as const

/** Kuruş for TRY, whole units for other assets, minor units per unit for prices (SPEC §2). */
export const amount = 'long'

// From the vocabulary, so an event cannot carry a word the services refuse; changing a list
// changes these published schemas, which the compatibility check then judges.
export const Side = { type: 'enum', name: 'Side', symbols: SIDES } as const
export const Tier = { type: 'enum', name: 'Tier', symbols: TIERS } as const
export const CustomerStatus = { type: 'enum', name: 'CustomerStatus', symbols: CUSTOMER_STATUSES } as const

export const CancelReason = {
  type: 'enum',
  name: 'CancelReason',
  doc: 'REQUESTED: by the customer, their broker or an admin; CUSTOMER_SUSPENDED: open orders of a suspended customer.',
  symbols: ['REQUESTED', 'CUSTOMER_SUSPENDED'],
} as const
