import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope, TOPICS } from '@brokerage/contracts'
import type { Movement__Output } from '@brokerage/contracts/grpc'
import { ADMIN, IBAN, actor, ofType, startHarness, type Harness, type Json } from './harness.js'

// Deposits and withdrawals: the requests (CustomerService) and the asset service's answers
// (published on asset.movements as that service would).

const at = () => new Date().toISOString()

/** The asset service's view of a movement, as its answers carry it. */
const movementData = (m: Movement__Output) => ({
  movementId: m.id as string,
  customerId: m.customer_id as string,
  assetName: m.asset_name as string,
  amount: m.amount as number,
})

async function customerWithBroker(h: Harness) {
  const broker = await h.createBroker()
  const customer = await h.createCustomer({ broker_id: broker.id })
  return { broker, customer, id: customer.id as string }
}

test('RequestDeposit', async (t) => {
  const h = await startHarness(t)
  const { broker, id } = await customerWithBroker(h)
  const self = actor('CUSTOMER', id)

  await t.test('when a customer deposits TRY, then a REQUESTED movement is stored and DepositRequested is emitted', async () => {
    const m = await h.call('RequestDeposit', { actor: self, customer_id: id, amount: 1_000_000 })
    assert.deepEqual(
      {
        customer_id: m.customer_id,
        kind: m.kind,
        asset_name: m.asset_name,
        amount: m.amount,
        iban: m.iban,
        status: m.status,
        rejection_reason: m.rejection_reason,
      },
      { customer_id: id, kind: 'DEPOSIT', asset_name: 'TRY', amount: 1_000_000, iban: '', status: 'REQUESTED', rejection_reason: '' },
    )
    const row = await h.movement(m.id as string)
    assert.deepEqual(
      {
        kind: row!.kind,
        asset_name: row!.asset_name,
        amount: row!.amount,
        status: row!.status,
        requested_by: row!.requested_by,
        role: row!.requested_by_role,
      },
      { kind: 'DEPOSIT', asset_name: 'TRY', amount: 1_000_000, status: 'REQUESTED', requested_by: id, role: 'CUSTOMER' },
    )
    const [requested, ...more] = ofType(await h.published(), 'DepositRequested', { movementId: m.id as string })
    assert.equal(more.length, 0)
    assert.deepEqual(requested!.data, { movementId: m.id, customerId: id, assetName: 'TRY', amount: 1_000_000, requestedAt: m.created_at })
    assert.equal(requested!.key, id)
    assert.equal(requested!.correlationId, self.request_id)
  })

  await t.test('when an admin or the assigned broker deposits another asset, then it is accepted', async () => {
    const a = await h.call('RequestDeposit', { actor: ADMIN, customer_id: id, asset_name: 'AAPL', amount: 10 })
    const b = await h.call('RequestDeposit', {
      actor: actor('BROKER', broker.id as string),
      customer_id: id,
      asset_name: 'XU030',
      amount: 3,
    })
    assert.deepEqual([a.asset_name, b.asset_name], ['AAPL', 'XU030'])
    const published = ofType(await h.published(), 'DepositRequested', { customerId: id })
    assert.deepEqual(published.map((e) => e.data.assetName).sort(), ['AAPL', 'TRY', 'XU030'])
  })

  await t.test('when a customer deposits anything but TRY, then FORBIDDEN and nothing changes', async () => {
    await h.refuses('RequestDeposit', { actor: self, customer_id: id, asset_name: 'AAPL', amount: 10 }, 'FORBIDDEN')
  })

  await t.test("when the customer is unknown, another customer, or not the broker's, then NOT_FOUND and nothing changes", async () => {
    await h.refuses('RequestDeposit', { actor: ADMIN, customer_id: randomUUID(), amount: 1 }, 'NOT_FOUND')
    const other = await h.createCustomer()
    await h.refuses('RequestDeposit', { actor: self, customer_id: other.id, amount: 1 }, 'NOT_FOUND')
    await h.refuses('RequestDeposit', { actor: actor('BROKER', broker.id as string), customer_id: other.id, amount: 1 }, 'NOT_FOUND')
  })

  await t.test('when the customer is SUSPENDED, then a deposit is still accepted', async () => {
    const c = await h.createCustomer()
    await h.call('SetStatus', { actor: ADMIN, id: c.id, status: 'SUSPENDED' })
    const m = await h.call('RequestDeposit', { actor: actor('CUSTOMER', c.id as string), customer_id: c.id, amount: 500 })
    assert.equal(m.status, 'REQUESTED')
  })

  const valid = { actor: ADMIN, customer_id: id, asset_name: 'TRY', amount: 100 }
  const bad: Array<[string, Json, string[]]> = [
    ['the amount is zero', { amount: 0 }, ['amount']],
    ['the amount is missing', { amount: undefined }, ['amount']],
    ['the amount is negative', { amount: -500 }, ['amount']],
    ['the amount is not a number', { amount: 'a lot' }, ['amount']],
    ['the amount is beyond 2^53', { amount: 2 ** 53 + 2 }, ['amount']],
    ['the amount is 2^53 − 1, which no event can carry (it failed the request: INTERNAL)', { amount: Number.MAX_SAFE_INTEGER }, ['amount']],
    ['the amount is huge', { amount: 1e30 }, ['amount']],
    ['the amount is the largest int64', { amount: '9223372036854775807' }, ['amount']],
    ['the asset name is lower-case', { asset_name: 'try' }, ['asset_name']],
    ['the asset name is one letter', { asset_name: 'T' }, ['asset_name']],
    ['the asset name is 13 characters', { asset_name: 'ABCDEFGHIJKLM' }, ['asset_name']],
    ['the asset name starts with a digit', { asset_name: '1TRY' }, ['asset_name']],
    ['the customer id is not a UUID', { customer_id: 'cust-1' }, ['customer_id']],
    ['the customer id is empty', { customer_id: '' }, ['customer_id']],
    ['the actor is missing', { actor: null }, ['actor']],
    ['everything is wrong', { actor: null, customer_id: 7, asset_name: 'x', amount: -1 }, ['actor', 'customer_id', 'asset_name', 'amount']],
  ]
  for (const [what, change, fields] of bad) {
    await t.test(`when ${what}, then VALIDATION_FAILED names ${fields.join(', ')} and nothing changes`, async () => {
      await h.refuses('RequestDeposit', { ...valid, ...change }, 'VALIDATION_FAILED', fields)
    })
  }

  await t.test('when the same deposit comes twice with one key, then one movement and one DepositRequested', async () => {
    const req = { actor: ADMIN, idempotency_key: `dep-${randomUUID()}`, customer_id: id, amount: 777 }
    const first = await h.call('RequestDeposit', req)
    assert.deepEqual(await h.call('RequestDeposit', req), first)
    assert.equal(ofType(await h.published(), 'DepositRequested', { movementId: first.id as string }).length, 1)
    assert.equal((await h.db.query('SELECT 1 FROM movements WHERE amount = 777')).rowCount, 1)
    await h.refuses('RequestDeposit', { ...req, amount: 778 }, 'IDEMPOTENCY_KEY_REUSED')
    await h.refuses('RequestDeposit', { ...req, asset_name: 'AAPL' }, 'IDEMPOTENCY_KEY_REUSED')
  })

  await t.test('when DepositCompleted arrives, then the movement is COMPLETED; the same answer again changes nothing', async () => {
    const m = await h.call('RequestDeposit', { actor: self, customer_id: id, amount: 2_500 })
    const completed = await h.publish('DepositCompleted', { ...movementData(m), completedAt: at() })
    await h.settled()
    const done = await h.movement(m.id as string)
    assert.equal(done!.status, 'COMPLETED')

    const before = await h.snapshot()
    await h.publish('DepositCompleted', completed.data as never, completed) // the very same event, redelivered
    await h.publish('DepositCompleted', { ...movementData(m), completedAt: at() }) // the same answer, another event
    await h.settled()
    assert.deepEqual(await h.snapshot(), before)

    const listed = await h.call('ListMovements', { customer_id: id, page: { page: 0, size: 1 } })
    assert.equal(listed.content[0]!.status, 'COMPLETED')
  })

  await t.test('when an answer names an unknown movement, then it is dead-lettered and the partition keeps flowing', async () => {
    const m = await h.call('RequestDeposit', { actor: self, customer_id: id, amount: 31 })
    const poison = await h.publish('DepositCompleted', {
      movementId: randomUUID(),
      customerId: id,
      assetName: 'TRY',
      amount: 31,
      completedAt: at(),
    })
    const wrongAmount = await h.publish('DepositCompleted', { ...movementData(m), amount: 32, completedAt: at() })
    await h.publish('DepositCompleted', { ...movementData(m), completedAt: at() })
    await h.settled()
    assert.equal((await h.movement(m.id as string))!.status, 'COMPLETED')
    const dead = await h.records(`${TOPICS.assetMovements}.dlq`)
    const ids = await Promise.all(dead.map(async (r) => (await h.codec.decode(r.value)).id))
    assert.deepEqual(ids.sort(), [poison.id, wrongAmount.id].sort())
  })
})

test('RequestWithdrawal', async (t) => {
  const h = await startHarness(t)
  const { broker, id } = await customerWithBroker(h)
  const self = actor('CUSTOMER', id)

  await t.test(
    'when a customer withdraws TRY to an IBAN written with spaces, then the IBAN is stored normalised and WithdrawalRequested is emitted',
    async () => {
      const m = await h.call('RequestWithdrawal', {
        actor: self,
        customer_id: id,
        amount: 250_000,
        iban: 'tr33 0006 1005 1978 6457 8413 26',
      })
      assert.deepEqual(
        { kind: m.kind, asset_name: m.asset_name, amount: m.amount, iban: m.iban, status: m.status },
        { kind: 'WITHDRAWAL', asset_name: 'TRY', amount: 250_000, iban: IBAN, status: 'REQUESTED' },
      )
      assert.equal((await h.movement(m.id as string))!.iban, IBAN)
      const [requested, ...more] = ofType(await h.published(), 'WithdrawalRequested', { movementId: m.id as string })
      assert.equal(more.length, 0)
      assert.deepEqual(requested!.data, {
        movementId: m.id,
        customerId: id,
        assetName: 'TRY',
        amount: 250_000,
        iban: IBAN,
        requestedAt: m.created_at,
      })
    },
  )

  await t.test('when another asset is withdrawn, then no IBAN is needed and the event carries none', async () => {
    const m = await h.call('RequestWithdrawal', {
      actor: actor('BROKER', broker.id as string),
      customer_id: id,
      asset_name: 'AAPL',
      amount: 5,
    })
    assert.equal(m.iban, '')
    const [requested] = ofType(await h.published(), 'WithdrawalRequested', { movementId: m.id as string })
    assert.equal(requested!.data.iban, null)
  })

  await t.test('when the customer is SUSPENDED, then CONFLICT and nothing changes', async () => {
    const c = await h.createCustomer()
    await h.call('SetStatus', { actor: ADMIN, id: c.id, status: 'SUSPENDED' })
    await h.refuses('RequestWithdrawal', { actor: actor('CUSTOMER', c.id as string), customer_id: c.id, amount: 1, iban: IBAN }, 'CONFLICT')
    await h.refuses('RequestWithdrawal', { actor: ADMIN, customer_id: c.id, amount: 1, iban: IBAN }, 'CONFLICT')
  })

  await t.test("when the customer is unknown or someone else's, then NOT_FOUND and nothing changes", async () => {
    await h.refuses('RequestWithdrawal', { actor: ADMIN, customer_id: randomUUID(), amount: 1, iban: IBAN }, 'NOT_FOUND')
    const other = await h.createCustomer()
    await h.refuses('RequestWithdrawal', { actor: self, customer_id: other.id, amount: 1, iban: IBAN }, 'NOT_FOUND')
    await h.refuses(
      'RequestWithdrawal',
      { actor: actor('BROKER', broker.id as string), customer_id: other.id, amount: 1, iban: IBAN },
      'NOT_FOUND',
    )
  })

  const valid = { actor: self, customer_id: id, amount: 100, iban: IBAN }
  const bad: Array<[string, Json, string[]]> = [
    ['the TRY withdrawal has no IBAN', { iban: '' }, ['iban']],
    ['the IBAN check digits are wrong', { iban: 'TR330006100519786457841327' }, ['iban']],
    ['the IBAN is one character short', { iban: 'TR33000610051978645784132' }, ['iban']],
    ['the IBAN country is unknown', { iban: 'XX330006100519786457841326' }, ['iban']],
    ['the IBAN has letters for check digits', { iban: 'TRAB0006100519786457841326' }, ['iban']],
    ['the IBAN holds punctuation', { iban: 'TR33-0006-1005-1978-6457-8413-26' }, ['iban']],
    ['the IBAN is garbage', { iban: 'not an iban' }, ['iban']],
    ['an IBAN is given for a non-cash asset', { asset_name: 'AAPL', iban: IBAN }, ['iban']],
    ['the amount is zero', { amount: 0 }, ['amount']],
    ['the amount is negative', { amount: -1 }, ['amount']],
    ['the amount is beyond 2^53', { amount: 2 ** 53 + 2 }, ['amount']],
    ['the amount is 2^53 − 1, which no event can carry (it failed the request: INTERNAL)', { amount: Number.MAX_SAFE_INTEGER }, ['amount']],
    ['the amount is not a number', { amount: 'ten' }, ['amount']],
    ['the asset name is invalid', { asset_name: 'tr y' }, ['asset_name']],
    ['the customer id is not a UUID', { customer_id: '123' }, ['customer_id']],
    ['the idempotency key is too long', { idempotency_key: 'k'.repeat(256) }, ['idempotency_key']],
  ]
  for (const [what, change, fields] of bad) {
    await t.test(`when ${what}, then VALIDATION_FAILED names ${fields.join(', ')} and nothing changes`, async () => {
      await h.refuses('RequestWithdrawal', { ...valid, ...change }, 'VALIDATION_FAILED', fields)
    })
  }

  await t.test('when the same withdrawal comes twice with one key, then one movement; another IBAN with that key is refused', async () => {
    const req = { actor: self, idempotency_key: `wd-${randomUUID()}`, customer_id: id, amount: 4_321, iban: IBAN }
    const first = await h.call('RequestWithdrawal', req)
    assert.deepEqual(await h.call('RequestWithdrawal', { ...req, iban: 'TR33 0006 1005 1978 6457 8413 26' }), first)
    assert.equal(ofType(await h.published(), 'WithdrawalRequested', { movementId: first.id as string }).length, 1)
    await h.refuses('RequestWithdrawal', { ...req, iban: 'DE89370400440532013000' }, 'IDEMPOTENCY_KEY_REUSED')
  })
})

test('Withdrawal flow driven by the asset service', async (t) => {
  const h = await startHarness(t)
  const { id } = await customerWithBroker(h)
  const self = actor('CUSTOMER', id)
  const withdraw = (amount: number) => h.call('RequestWithdrawal', { actor: self, customer_id: id, amount, iban: IBAN })
  const sentFor = (movementId: string) =>
    h.events.until((es) => ofType(es, 'WithdrawalSent', { movementId }).length > 0, { what: 'WithdrawalSent' })

  await t.test('when reserved, then it is paid out (WithdrawalSent, stays RESERVED); when completed, then COMPLETED', async () => {
    const m = await withdraw(250_000)
    const reserved = await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    await sentFor(m.id as string)
    const afterReserve = await h.movement(m.id as string)
    assert.equal(afterReserve!.status, 'RESERVED')
    assert.ok(afterReserve!.sent_at instanceof Date)

    const { rows: payouts } = await h.db.query(
      'SELECT customer_id, asset_name, amount, iban, reference FROM payouts WHERE movement_id = $1',
      [m.id],
    )
    assert.deepEqual(payouts, [{ customer_id: id, asset_name: 'TRY', amount: 250_000, iban: IBAN, reference: `instant-${m.id}` }])
    const [sent, ...more] = ofType(await h.published(), 'WithdrawalSent', { movementId: m.id as string })
    assert.equal(more.length, 0)
    assert.deepEqual(sent!.data, {
      movementId: m.id,
      customerId: id,
      assetName: 'TRY',
      amount: 250_000,
      iban: IBAN,
      sentAt: (afterReserve!.sent_at as Date).toISOString(),
    })
    assert.equal(sent!.causationId, reserved.id)
    assert.equal(sent!.correlationId, reserved.correlationId)

    await h.publish('WithdrawalCompleted', { ...movementData(m), completedAt: at() })
    await h.settled()
    assert.equal((await h.movement(m.id as string))!.status, 'COMPLETED')
    const listed = await h.call('ListMovements', { customer_id: id })
    assert.equal(listed.content.find((x) => x.id === m.id)!.status, 'COMPLETED')
  })

  await t.test('when WithdrawalReserved is delivered twice (same event and a repeat), then one payout and one WithdrawalSent', async () => {
    const m = await withdraw(1_000)
    const reserved = await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    await h.publish('WithdrawalReserved', reserved.data as never, reserved)
    await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    await h.settled()
    assert.equal(ofType(await h.published(), 'WithdrawalSent', { movementId: m.id as string }).length, 1)
    assert.equal((await h.db.query('SELECT 1 FROM payouts WHERE movement_id = $1', [m.id])).rowCount, 1)
    assert.equal((await h.movement(m.id as string))!.status, 'RESERVED')
  })

  await t.test('when WithdrawalCompleted comes twice, then the second changes nothing', async () => {
    const m = await withdraw(2_000)
    await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    const completed = await h.publish('WithdrawalCompleted', { ...movementData(m), completedAt: at() })
    await h.settled()
    const before = await h.snapshot()
    await h.publish('WithdrawalCompleted', completed.data as never, completed)
    await h.publish('WithdrawalCompleted', { ...movementData(m), completedAt: at() })
    await h.settled()
    assert.deepEqual(await h.snapshot(), before)
    assert.equal((await h.movement(m.id as string))!.status, 'COMPLETED')
  })

  await t.test('when rejected, then REJECTED with the reason, nothing is paid out, and a late reservation changes nothing', async () => {
    const m = await withdraw(9_999_999)
    await h.publish('WithdrawalRejected', { ...movementData(m), reason: 'INSUFFICIENT_BALANCE', rejectedAt: at() })
    await h.settled()
    const rejected = await h.movement(m.id as string)
    assert.deepEqual([rejected!.status, rejected!.rejection_reason], ['REJECTED', 'INSUFFICIENT_BALANCE'])
    const listed = (await h.call('ListMovements', { customer_id: id })).content
    assert.deepEqual(
      [listed.find((x) => x.id === m.id)!.status, listed.find((x) => x.id === m.id)!.rejection_reason],
      ['REJECTED', 'INSUFFICIENT_BALANCE'],
    )

    const before = await h.snapshot()
    await h.publish('WithdrawalRejected', { ...movementData(m), reason: 'INSUFFICIENT_BALANCE', rejectedAt: at() })
    await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    await h.settled()
    assert.deepEqual(await h.snapshot(), before)
    assert.equal(ofType(await h.published(), 'WithdrawalSent', { movementId: m.id as string }).length, 0)
  })

  await t.test('when WithdrawalCompleted overtakes WithdrawalReserved, then COMPLETED and the late reservation pays nothing', async () => {
    const m = await withdraw(3_000)
    // Published in this order on one key, they are also consumed in this order.
    await h.publish('WithdrawalCompleted', { ...movementData(m), completedAt: at() })
    await h.publish('WithdrawalReserved', { ...movementData(m), reservedAt: at() })
    await h.publish('WithdrawalRejected', { ...movementData(m), reason: 'INSUFFICIENT_BALANCE', rejectedAt: at() })
    await h.settled()
    const row = await h.movement(m.id as string)
    assert.deepEqual([row!.status, row!.rejection_reason], ['COMPLETED', null])
    assert.equal(ofType(await h.published(), 'WithdrawalSent', { movementId: m.id as string }).length, 0)
    assert.equal((await h.db.query('SELECT 1 FROM payouts WHERE movement_id = $1', [m.id])).rowCount, 0)
  })

  await t.test('when a deposit answer names a withdrawal, then it is dead-lettered and the movement is untouched', async () => {
    const m = await withdraw(4_000)
    const wrong = newEnvelope('DepositCompleted', { ...movementData(m), completedAt: at() })
    await h.publish('DepositCompleted', wrong.data, wrong)
    await h.settled()
    assert.equal((await h.movement(m.id as string))!.status, 'REQUESTED')
    const dead = await Promise.all((await h.records(`${TOPICS.assetMovements}.dlq`)).map(async (r) => (await h.codec.decode(r.value)).id))
    assert.deepEqual(dead, [wrong.id])
  })
})

test('ListMovements', async (t) => {
  const h = await startHarness(t)
  const a = (await h.createCustomer()).id as string
  const b = (await h.createCustomer()).id as string
  const mine: Movement__Output[] = []
  for (const amount of [1, 2, 3]) {
    mine.push(await h.call('RequestDeposit', { actor: ADMIN, customer_id: a, amount }))
    await h.call('RequestDeposit', { actor: ADMIN, customer_id: b, amount: amount * 100 })
  }
  mine.push(await h.call('RequestWithdrawal', { actor: ADMIN, customer_id: a, amount: 4, iban: IBAN }))

  await t.test("when one customer's movements are listed, then exactly theirs come, newest first", async () => {
    const list = await h.call('ListMovements', { customer_id: a })
    assert.deepEqual(list.content, [...mine].reverse())
    assert.deepEqual(list.page, { page: 0, size: 20, total_elements: 4 })
    const other = await h.call('ListMovements', { customer_id: b })
    assert.deepEqual(
      other.content.map((m) => m.amount),
      [300, 200, 100],
    )
    assert.ok(other.content.every((m) => m.customer_id === b))
  })

  await t.test('when paged, then pages follow the same order', async () => {
    const second = await h.call('ListMovements', { customer_id: a, page: { page: 1, size: 3 } })
    assert.deepEqual(second.content, [mine[0]])
    assert.deepEqual(second.page, { page: 1, size: 3, total_elements: 4 })
  })

  await t.test('when the customer has no movements, then an empty page', async () => {
    const c = (await h.createCustomer()).id as string
    assert.deepEqual(await h.call('ListMovements', { customer_id: c }), { content: [], page: { page: 0, size: 20, total_elements: 0 } })
  })

  await t.test('when the customer is unknown, then NOT_FOUND; when the id or page is bad, then VALIDATION_FAILED', async () => {
    await h.refuses('ListMovements', { customer_id: randomUUID() }, 'NOT_FOUND')
    await h.refuses('ListMovements', { customer_id: '' }, 'VALIDATION_FAILED', ['customer_id'])
    await h.refuses('ListMovements', { customer_id: 'abc' }, 'VALIDATION_FAILED', ['customer_id'])
    await h.refuses('ListMovements', { customer_id: a, page: { page: -2, size: 500 } }, 'VALIDATION_FAILED', ['page.page', 'page.size'])
  })
})
