import { CustomerStatus, NAMESPACE, Tier, amount, nullableUuid, timestamp, uuid } from './common.js'

// Produced by the customer service on `customer.events`, keyed by customerId.
// The order service keeps a replica of tier, status and broker from these;
// the notification service keeps name and email.

export const CustomerCreated = {
  type: 'record',
  name: 'CustomerCreated',
  namespace: NAMESPACE,
  fields: [
    { name: 'customerId', type: uuid },
    { name: 'name', type: 'string' },
    { name: 'email', type: 'string' },
    { name: 'tier', type: Tier },
    { name: 'status', type: CustomerStatus },
    { name: 'brokerId', type: nullableUuid },
    { name: 'createdAt', type: timestamp },
  ],
} as const

export const CustomerTierChanged = {
  type: 'record',
  name: 'CustomerTierChanged',
  namespace: NAMESPACE,
  fields: [
    { name: 'customerId', type: uuid },
    { name: 'previousTier', type: Tier },
    { name: 'tier', type: Tier },
    { name: 'changedAt', type: timestamp },
  ],
} as const

export const CustomerStatusChanged = {
  type: 'record',
  name: 'CustomerStatusChanged',
  namespace: NAMESPACE,
  doc: 'A SUSPENDED customer may place no new orders; the order service cancels their open ones (reason CUSTOMER_SUSPENDED).',
  fields: [
    { name: 'customerId', type: uuid },
    { name: 'previousStatus', type: CustomerStatus },
    { name: 'status', type: CustomerStatus },
    { name: 'changedAt', type: timestamp },
  ],
} as const

export const BrokerAssigned = {
  type: 'record',
  name: 'BrokerAssigned',
  namespace: NAMESPACE,
  fields: [
    { name: 'customerId', type: uuid },
    { name: 'brokerId', type: nullableUuid, doc: 'null: the customer no longer has a broker.' },
    { name: 'previousBrokerId', type: nullableUuid },
    { name: 'assignedAt', type: timestamp },
  ],
} as const

export const DepositRequested = {
  type: 'record',
  name: 'DepositRequested',
  namespace: NAMESPACE,
  doc: 'The asset service credits size and usableSize (row created if missing) and answers DepositCompleted.',
  fields: [
    { name: 'movementId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'amount', type: amount },
    { name: 'requestedAt', type: timestamp },
  ],
} as const

export const WithdrawalRequested = {
  type: 'record',
  name: 'WithdrawalRequested',
  namespace: NAMESPACE,
  doc: 'The asset service reserves (WithdrawalReserved) or refuses (WithdrawalRejected); after the payout (WithdrawalSent) it completes it (WithdrawalCompleted).',
  fields: [
    { name: 'movementId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'amount', type: amount },
    { name: 'iban', type: ['null', 'string'], doc: 'Required for TRY; null for other assets.' },
    { name: 'requestedAt', type: timestamp },
  ],
} as const

export const WithdrawalSent = {
  type: 'record',
  name: 'WithdrawalSent',
  namespace: NAMESPACE,
  doc: 'The customer service paid out a reserved withdrawal (bank transfer to the IBAN). The asset service lowers size by amount (WithdrawalCompleted).',
  fields: [
    { name: 'movementId', type: uuid },
    { name: 'customerId', type: uuid },
    { name: 'assetName', type: 'string' },
    { name: 'amount', type: amount },
    { name: 'iban', type: ['null', 'string'] },
    { name: 'sentAt', type: timestamp },
  ],
} as const
