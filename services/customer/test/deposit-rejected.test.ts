import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Movement__Output } from '@brokerage/contracts/grpc'
import { ADMIN, ofType, startHarness } from './harness.js'

// The asset service refuses a deposit its ledger cannot take (the balance would pass 2^53−1)
// with DepositRejected; the movement must end there, not wait for ever.

const at = () => new Date().toISOString()
const movementData = (m: Movement__Output) => ({
  movementId: m.id as string,
  customerId: m.customer_id as string,
  assetName: m.asset_name as string,
  amount: m.amount as number,
})

test('when the asset service rejects a deposit, then the movement is REJECTED with the reason and a late completion changes nothing', async (t) => {
  const h = await startHarness(t)
  const customer = await h.createCustomer()
  const m = await h.call('RequestDeposit', { actor: ADMIN, customer_id: customer.id, amount: 5_000 })

  await h.publish('DepositRejected', { ...movementData(m), reason: 'BALANCE_LIMIT_EXCEEDED', rejectedAt: at() })
  await h.settled()
  const row = await h.movement(m.id as string)
  assert.deepEqual([row!.status, row!.rejection_reason], ['REJECTED', 'BALANCE_LIMIT_EXCEEDED'])
  const listed = (await h.call('ListMovements', { customer_id: customer.id })).content.find((x) => x.id === m.id)
  assert.deepEqual([listed!.status, listed!.rejection_reason], ['REJECTED', 'BALANCE_LIMIT_EXCEEDED'])

  const before = await h.snapshot()
  await h.publish('DepositRejected', { ...movementData(m), reason: 'BALANCE_LIMIT_EXCEEDED', rejectedAt: at() })
  await h.publish('DepositCompleted', { ...movementData(m), completedAt: at() })
  await h.settled()
  assert.deepEqual(await h.snapshot(), before)
  assert.equal(ofType(await h.published(), 'WithdrawalSent').length, 0)
})
