import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec } from '@brokerage/platform'
import { createCollector } from '@brokerage/platform/testing'
import { deposit, startHarness, withdrawalRequested, withdrawalSent, type Harness } from './harness.js'

test('when a deposit is requested, then the row is created with size and usable, journalled, and DepositCompleted answers', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()

  const request = deposit(customerId, 1_000_000)
  const completed = await h.send(request, 'DepositCompleted')

  assert.deepEqual(
    { ...completed.data, completedAt: undefined },
    { movementId: request.data.movementId, customerId, assetName: 'TRY', amount: 1_000_000, completedAt: undefined },
  )
  assert.equal(completed.key, customerId)
  assert.equal(completed.causationId, request.id)
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 1_000_000 })
  assert.deepEqual(
    (await h.journal(request.data.movementId)).map((j) => [
      j.customer_id,
      j.asset_name,
      j.size_delta,
      j.usable_size_delta,
      j.cause_event_type,
    ]),
    [[customerId, 'TRY', 1_000_000, 1_000_000, 'DepositRequested']],
  )
  await h.assertConserved()
})

test('when a second deposit arrives, then it adds to the existing row, any asset alike', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()

  await h.fund(customerId, 300)
  await h.fund(customerId, 200)
  await h.fund(customerId, 12, 'AAPL')

  assert.deepEqual(await h.balance(customerId), { size: 500, usable: 500 })
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 12, usable: 12 })
  await h.assertConserved()
})

test('when the same DepositRequested envelope is delivered twice, then it is credited once', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()

  const request = deposit(customerId, 5_000)
  await h.publish(request, request)
  await h.settle(customerId, 'customer.events')

  assert.deepEqual(
    h.answered(request).map((e) => e.type),
    ['DepositCompleted'],
  )
  assert.deepEqual(await h.balance(customerId), { size: 5_000, usable: 5_000 })
  await h.assertConserved()
})

test('when a deposit for the same movement is re-sent under a new event id, then it is not credited again', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  const request = deposit(customerId, 5_000)
  await h.send(request, 'DepositCompleted')

  const again = newEnvelope('DepositRequested', request.data)
  await h.publish(again)
  await h.settle(customerId, 'customer.events')

  assert.deepEqual(h.answered(again), [])
  assert.deepEqual(await h.balance(customerId), { size: 5_000, usable: 5_000 })
  await h.assertConserved()
})

test('when a withdrawal is reserved, sent and completed, then usable drops first and size at completion', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)

  const request = withdrawalRequested(customerId, 250_000)
  const reserved = await h.send(request, 'WithdrawalReserved')
  assert.deepEqual(
    { ...reserved.data, reservedAt: undefined },
    { movementId: request.data.movementId, customerId, assetName: 'TRY', amount: 250_000, reservedAt: undefined },
  )
  assert.deepEqual(await h.balance(customerId), { size: 1_000_000, usable: 750_000 })
  assert.deepEqual(await h.withdrawal(request.data.movementId), { status: 'RESERVED', amount: 250_000, rejection_reason: null })
  await h.assertConserved()

  const sent = withdrawalSent(request)
  const completed = await h.send(sent, 'WithdrawalCompleted')
  assert.equal(completed.data.amount, 250_000)
  assert.equal(completed.data.movementId, request.data.movementId)
  assert.deepEqual(await h.balance(customerId), { size: 750_000, usable: 750_000 })
  assert.equal((await h.withdrawal(request.data.movementId))!.status, 'COMPLETED')
  assert.deepEqual(
    (await h.journal(request.data.movementId)).map((j) => [j.size_delta, j.usable_size_delta, j.cause_event_id]),
    [
      [0, -250_000, request.id],
      [-250_000, 0, sent.id],
    ],
  )
  await h.assertConserved()
})

test('when the same WithdrawalSent envelope is delivered twice, then the withdrawal completes once', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)
  const request = withdrawalRequested(customerId, 400)
  await h.send(request, 'WithdrawalReserved')

  const sent = withdrawalSent(request)
  await h.publish(sent, sent)
  await h.settle(customerId, 'customer.events')

  assert.deepEqual(
    h.answered(sent).map((e) => e.type),
    ['WithdrawalCompleted'],
  )
  assert.deepEqual(await h.balance(customerId), { size: 600, usable: 600 })
  await h.assertConserved()
})

test('when a withdrawal exceeds usable, then WithdrawalRejected INSUFFICIENT_BALANCE and nothing is held', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)
  await h.send(withdrawalRequested(customerId, 600), 'WithdrawalReserved')

  // 1,000 deposited, 600 held: 400 usable is short of 401.
  const request = withdrawalRequested(customerId, 401)
  const rejected = await h.send(request, 'WithdrawalRejected')

  assert.equal(rejected.data.reason, 'INSUFFICIENT_BALANCE')
  assert.equal(rejected.data.amount, 401)
  assert.deepEqual(await h.balance(customerId), { size: 1_000, usable: 400 })
  assert.deepEqual(await h.withdrawal(request.data.movementId), {
    status: 'REJECTED',
    amount: 401,
    rejection_reason: 'INSUFFICIENT_BALANCE',
  })
  assert.deepEqual(await h.journal(request.data.movementId), [])
  await h.assertConserved()
})

test('when a TRY withdrawal has no IBAN, then it is rejected IBAN_REQUIRED; another asset needs none', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)
  await h.fund(customerId, 10, 'AAPL')

  for (const iban of [null, '  ']) {
    const rejected = await h.send(withdrawalRequested(customerId, 100, { iban }), 'WithdrawalRejected')
    assert.equal(rejected.data.reason, 'IBAN_REQUIRED')
  }
  await h.send(withdrawalRequested(customerId, 4, { assetName: 'AAPL', iban: null }), 'WithdrawalReserved')

  assert.deepEqual(await h.balance(customerId), { size: 1_000, usable: 1_000 })
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 10, usable: 6 })
  await h.assertConserved()
})

test('when a withdrawal amount is not positive, then it is rejected INVALID_AMOUNT', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)

  for (const amount of [0, -5]) {
    const rejected = await h.send(withdrawalRequested(customerId, amount), 'WithdrawalRejected')
    assert.equal(rejected.data.reason, 'INVALID_AMOUNT')
  }
  assert.deepEqual(await h.balance(customerId), { size: 1_000, usable: 1_000 })
  await h.assertConserved()
})

/** The DLQ letter of an event of customer.events, once it is there. */
async function deadLetter(h: Harness, eventId: string): Promise<{ id: string; error: string | undefined }> {
  const codec = createEventCodec()
  const dead = createCollector<{ id: string; error: string | undefined }>()
  await h.bus.ensureTopic('customer.events.dlq')
  const reader = await h.bus.consume({
    groupId: `dlq-${randomUUID()}`,
    topics: ['customer.events.dlq'],
    handleBatch: async (b) => {
      for (const m of b.messages) dead.push({ id: (await codec.decode(m.value)).id, error: m.headers['dlq-error'] })
    },
  })
  const letters = await dead.until((items) => items.some((d) => d.id === eventId)).finally(() => reader.stop())
  return letters.find((d) => d.id === eventId)!
}

test('when WithdrawalSent names a withdrawal never reserved, then it is dead-lettered and nothing changes', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)

  const request = withdrawalRequested(customerId, 300)
  const sent = withdrawalSent(request)
  await h.publish(sent)
  await h.settle(customerId, 'customer.events')

  assert.match((await deadLetter(h, sent.id)).error ?? '', /unknown/)
  assert.deepEqual(h.answered(sent), [])
  assert.deepEqual(await h.balance(customerId), { size: 1_000, usable: 1_000 })
  assert.equal(await h.withdrawal(request.data.movementId), null)
  await h.assertConserved()
})

test('when WithdrawalSent carries another amount than the reserved withdrawal, then it is dead-lettered and nothing changes', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 1_000)
  const request = withdrawalRequested(customerId, 300)
  await h.send(request, 'WithdrawalReserved')

  const sent = withdrawalSent(request)
  const wrong = newEnvelope('WithdrawalSent', { ...sent.data, amount: 299 })
  await h.publish(wrong)
  await h.settle(customerId, 'customer.events')

  assert.match((await deadLetter(h, wrong.id)).error ?? '', /does not match/)
  assert.deepEqual(h.answered(wrong), [])
  assert.deepEqual(await h.balance(customerId), { size: 1_000, usable: 700 })
  assert.deepEqual(await h.withdrawal(request.data.movementId), { status: 'RESERVED', amount: 300, rejection_reason: null })
  assert.deepEqual(
    (await h.journal(request.data.movementId)).map((j) => j.cause_event_id),
    [request.id],
  )
  await h.assertConserved()
})

test('when a DepositRequested has amount 0, then DepositRejected INVALID_AMOUNT answers and nothing reaches the ledger', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()

  const request = deposit(customerId, 0)
  const rejected = await h.send(request, 'DepositRejected')

  assert.equal(rejected.data.reason, 'INVALID_AMOUNT')
  assert.deepEqual(
    h.answered(request).map((e) => e.type),
    ['DepositRejected'],
  )
  assert.equal(await h.balance(customerId), null)
  assert.deepEqual(await h.journal(request.data.movementId), [])
  await h.assertConserved()
})
