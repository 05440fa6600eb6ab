import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope } from '@brokerage/contracts'
import { deposit, startHarness, type Harness } from './harness.js'

// A balance holds at most 2^53−1 minor units (the balances CHECK), the most a JS number holds
// exactly. A deposit past it is an answer (DepositRejected), not a failing transaction.

const MAX = Number.MAX_SAFE_INTEGER

/** Records on customer.events' DLQ (call after settle: what is handled before the probe is there by then). */
async function deadLetters(h: Harness): Promise<number> {
  const partitions = await h.bus.partitionsOf('customer.events.dlq').catch(() => 0)
  let n = 0
  for (let p = 0; p < partitions; p++) n += (await h.bus.read('customer.events.dlq', p, 0, 10_000)).length
  return n
}

test('when a deposit would push a balance past 2^53−1, then DepositRejected answers, nothing changes, and the partition flows on', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, MAX - 10)

  const tooMuch = deposit(customerId, 11)
  const rejected = await h.send(tooMuch, 'DepositRejected')
  assert.deepEqual(
    { ...rejected.data, rejectedAt: undefined },
    {
      movementId: tooMuch.data.movementId,
      customerId,
      assetName: 'TRY',
      amount: 11,
      reason: 'BALANCE_LIMIT_EXCEEDED',
      rejectedAt: undefined,
    },
  )
  assert.deepEqual(await h.balance(customerId), { size: MAX - 10, usable: MAX - 10 })
  assert.deepEqual(await h.journal(tooMuch.data.movementId), [])

  // The next event of the same customer is handled: nothing was retried or dead-lettered.
  await h.send(deposit(customerId, 10), 'DepositCompleted')
  assert.deepEqual(await h.balance(customerId), { size: MAX, usable: MAX })

  // A re-sent request for the refused movement is recognised, never credited later.
  const again = newEnvelope('DepositRequested', { ...tooMuch.data, amount: 11 })
  await h.publish(again)
  await h.settle(customerId, 'customer.events')
  assert.deepEqual(h.answered(again), [])
  assert.equal(await deadLetters(h), 0, 'nothing was dead-lettered')
  await h.assertConserved()
})

test('when a deposit brings a balance to exactly 2^53−1, then it is credited, and one unit more is refused', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  // An event's long holds at most 2^53−2 (what avsc encodes exactly), so the limit is reached in two steps.
  await h.fund(customerId, MAX - 1)
  await h.send(deposit(customerId, 1), 'DepositCompleted')
  assert.deepEqual(await h.balance(customerId), { size: MAX, usable: MAX })
  await h.send(deposit(customerId, 1), 'DepositRejected')
  await h.fund(customerId, MAX - 1, 'GOLD')
  assert.deepEqual(await h.balance(customerId), { size: MAX, usable: MAX })
  await h.assertConserved()
})
