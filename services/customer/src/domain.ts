// The customer service's model and its rules, free of I/O.

import type { CustomerStatus, MovementKind, MovementStatus, Tier } from '@brokerage/contracts'

// The words shared with the other services and the gateway come from the contracts' vocabulary.
export { CUSTOMER_STATUSES, TIERS, type CustomerStatus, type MovementKind, type MovementStatus, type Tier } from '@brokerage/contracts'

export const ROLES = ['CUSTOMER', 'BROKER', 'ADMIN'] as const
export type Role = (typeof ROLES)[number]

/** Who asks, as the gateway authenticated them. */
export interface Actor {
  subject: string
  role: Role
  requestId: string
}

export interface Customer {
  id: string
  name: string
  email: string
  tier: Tier
  status: CustomerStatus
  brokerId: string | null
  createdAt: Date
  updatedAt: Date
}

export interface Broker {
  id: string
  name: string
  email: string
  createdAt: Date
}

export interface Movement {
  id: string
  customerId: string
  kind: MovementKind
  assetName: string
  amount: number
  iban: string | null
  status: MovementStatus
  rejectionReason: string | null
  sentAt: Date | null
  createdAt: Date
  updatedAt: Date
}

export interface Principal {
  subject: string
  role: 'CUSTOMER' | 'BROKER'
  username: string
  customerId: string | null
  brokerId: string | null
  status: CustomerStatus | null
}

export interface PageOf<T> {
  content: T[]
  page: number
  size: number
  totalElements: number
}

/**
 * Whether the actor may act on this customer's account. Another customer's account, or a
 * customer not assigned to the broker, looks the same as a missing one (SPEC §1: 404, not 403).
 */
export function mayActFor(actor: Actor, customer: Pick<Customer, 'id' | 'brokerId'>): boolean {
  if (actor.role === 'ADMIN') return true
  if (actor.role === 'BROKER') return customer.brokerId === actor.subject
  return customer.id === actor.subject
}

/** The asset service's answers about a movement. */
export type MovementAnswer = 'DepositCompleted' | 'DepositRejected' | 'WithdrawalReserved' | 'WithdrawalRejected' | 'WithdrawalCompleted'

const KIND_OF: Record<MovementAnswer, MovementKind> = {
  DepositCompleted: 'DEPOSIT',
  DepositRejected: 'DEPOSIT',
  WithdrawalReserved: 'WITHDRAWAL',
  WithdrawalRejected: 'WITHDRAWAL',
  WithdrawalCompleted: 'WITHDRAWAL',
}

export type Transition =
  | { kind: 'apply'; status: MovementStatus; payOut: boolean }
  /** Nothing to do: already there, or overtaken by a later step. `unexpected` flags a contradiction worth a log line. */
  | { kind: 'ignore'; unexpected: boolean }
  /** The answer is about another kind of movement: a bug upstream, not a race. */
  | { kind: 'mismatch' }

/**
 * What an answer does to a movement in a given state. Answers may be redelivered or arrive
 * after a later one, so only a forward step applies: a withdrawal is paid out exactly when it
 * leaves REQUESTED for RESERVED, and once COMPLETED or REJECTED it is final.
 */
export function transition(movement: Pick<Movement, 'kind' | 'status'>, answer: MovementAnswer): Transition {
  if (movement.kind !== KIND_OF[answer]) return { kind: 'mismatch' }
  const from = movement.status
  switch (answer) {
    case 'DepositCompleted':
      return from === 'REQUESTED'
        ? { kind: 'apply', status: 'COMPLETED', payOut: false }
        : { kind: 'ignore', unexpected: from !== 'COMPLETED' }
    case 'DepositRejected':
      return from === 'REQUESTED'
        ? { kind: 'apply', status: 'REJECTED', payOut: false }
        : { kind: 'ignore', unexpected: from !== 'REJECTED' }
    case 'WithdrawalReserved':
      // COMPLETED first means the payout already happened: WithdrawalCompleted follows WithdrawalSent.
      return from === 'REQUESTED'
        ? { kind: 'apply', status: 'RESERVED', payOut: true }
        : { kind: 'ignore', unexpected: from === 'REJECTED' }
    case 'WithdrawalRejected':
      return from === 'REQUESTED'
        ? { kind: 'apply', status: 'REJECTED', payOut: false }
        : { kind: 'ignore', unexpected: from !== 'REJECTED' }
    case 'WithdrawalCompleted':
      return from === 'REQUESTED' || from === 'RESERVED'
        ? { kind: 'apply', status: 'COMPLETED', payOut: false }
        : { kind: 'ignore', unexpected: from === 'REJECTED' }
  }
}
