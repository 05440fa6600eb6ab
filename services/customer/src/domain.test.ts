import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mayActFor, transition, type Actor, type MovementAnswer, type MovementStatus } from './domain.js'

const statuses: MovementStatus[] = ['REQUESTED', 'RESERVED', 'COMPLETED', 'REJECTED']

test('when a deposit is answered, then only REQUESTED moves (to COMPLETED or REJECTED)', () => {
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'REQUESTED' }, 'DepositCompleted'), {
    kind: 'apply',
    status: 'COMPLETED',
    payOut: false,
  })
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'COMPLETED' }, 'DepositCompleted'), { kind: 'ignore', unexpected: false })
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'REQUESTED' }, 'DepositRejected'), {
    kind: 'apply',
    status: 'REJECTED',
    payOut: false,
  })
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'REJECTED' }, 'DepositRejected'), { kind: 'ignore', unexpected: false })
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'COMPLETED' }, 'DepositRejected'), { kind: 'ignore', unexpected: true })
  assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'REJECTED' }, 'DepositCompleted'), { kind: 'ignore', unexpected: true })
  for (const answer of ['WithdrawalReserved', 'WithdrawalRejected', 'WithdrawalCompleted'] as MovementAnswer[]) {
    assert.deepEqual(transition({ kind: 'DEPOSIT', status: 'REQUESTED' }, answer), { kind: 'mismatch' })
  }
})

test('when a withdrawal is answered, then each state moves forward only, paying out exactly on REQUESTED → RESERVED', () => {
  const expected: Record<MovementAnswer, Record<MovementStatus, string>> = {
    DepositCompleted: { REQUESTED: 'mismatch', RESERVED: 'mismatch', COMPLETED: 'mismatch', REJECTED: 'mismatch' },
    DepositRejected: { REQUESTED: 'mismatch', RESERVED: 'mismatch', COMPLETED: 'mismatch', REJECTED: 'mismatch' },
    WithdrawalReserved: { REQUESTED: 'RESERVED+pay', RESERVED: 'ignore', COMPLETED: 'ignore', REJECTED: 'ignore!' },
    WithdrawalRejected: { REQUESTED: 'REJECTED', RESERVED: 'ignore!', COMPLETED: 'ignore!', REJECTED: 'ignore' },
    WithdrawalCompleted: { REQUESTED: 'COMPLETED', RESERVED: 'COMPLETED', COMPLETED: 'ignore', REJECTED: 'ignore!' },
  }
  for (const [answer, byStatus] of Object.entries(expected) as Array<[MovementAnswer, Record<MovementStatus, string>]>) {
    for (const status of statuses) {
      const t = transition({ kind: 'WITHDRAWAL', status }, answer)
      const got =
        t.kind === 'apply' ? `${t.status}${t.payOut ? '+pay' : ''}` : t.kind === 'ignore' ? `ignore${t.unexpected ? '!' : ''}` : 'mismatch'
      assert.equal(got, byStatus[status], `${answer} on ${status}`)
    }
  }
})

test('when an actor acts for a customer, then admins may always, brokers for their own, customers for themselves', () => {
  const customer = { id: 'c1', brokerId: 'b1' }
  const as = (role: Actor['role'], subject: string): Actor => ({ role, subject, requestId: 'r' })
  assert.equal(mayActFor(as('ADMIN', 'admin'), customer), true)
  assert.equal(mayActFor(as('BROKER', 'b1'), customer), true)
  assert.equal(mayActFor(as('BROKER', 'b2'), customer), false)
  assert.equal(mayActFor(as('BROKER', 'b1'), { id: 'c2', brokerId: null }), false)
  assert.equal(mayActFor(as('CUSTOMER', 'c1'), customer), true)
  assert.equal(mayActFor(as('CUSTOMER', 'c2'), customer), false)
})
