import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { AppError } from '@brokerage/platform'
import { ADMIN, IBAN, PASSWORD, actor, startHarness, type Harness, type Json } from './harness.js'

// IdentityService: the gateway's token issuer checks customers' and brokers' passwords here.

async function identityRefuses(h: Harness, method: string, request: Json, code: string, fields?: string[]) {
  const before = await h.snapshot()
  const err = await h.unchecked.identity(method, request).then(
    () => assert.fail(`${method} succeeded`),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AppError, String(err))
  assert.equal(err.code, code)
  if (fields) assert.deepEqual((err.details as Array<{ field: string }>).map((d) => d.field).sort(), fields.sort())
  assert.deepEqual(await h.snapshot(), before)
  return err
}

test('Authenticate and SetPassword', async (t) => {
  const h = await startHarness(t)
  const broker = await h.createBroker()
  const customer = await h.createCustomer({ email: `Login-${randomUUID()}@Example.com`, broker_id: broker.id })

  await t.test('when a customer signs in with their email and password, then their principal answers', async () => {
    const p = await h.identity('Authenticate', { username: customer.email, password: PASSWORD })
    assert.deepEqual(p, {
      subject: customer.id,
      role: 'CUSTOMER',
      username: customer.email,
      customer_id: customer.id,
      broker_id: '',
      status: 'ACTIVE',
    })
  })

  await t.test('when the username differs in case or has surrounding spaces, then it still signs in', async () => {
    const p = await h.identity('Authenticate', { username: `  ${(customer.email as string).toUpperCase()} `, password: PASSWORD })
    assert.equal(p.subject, customer.id)
  })

  await t.test('when a broker signs in, then the principal is a BROKER with their broker id', async () => {
    const p = await h.identity('Authenticate', { username: broker.email, password: PASSWORD })
    assert.deepEqual(p, {
      subject: broker.id,
      role: 'BROKER',
      username: broker.email,
      customer_id: '',
      broker_id: broker.id,
      status: 'CUSTOMER_STATUS_UNSPECIFIED',
    })
  })

  await t.test('when a suspended customer signs in, then they may, and the principal says SUSPENDED', async () => {
    const c = await h.createCustomer()
    await h.call('SetStatus', { actor: ADMIN, id: c.id, status: 'SUSPENDED' })
    const p = await h.identity('Authenticate', { username: c.email, password: PASSWORD })
    assert.equal(p.status, 'SUSPENDED')
  })

  await t.test('when the password is wrong or the user unknown, then UNAUTHENTICATED with one and the same message', async () => {
    const wrong = await identityRefuses(h, 'Authenticate', { username: customer.email, password: `${PASSWORD}!` }, 'UNAUTHENTICATED')
    const unknown = await identityRefuses(h, 'Authenticate', { username: 'nobody@example.com', password: PASSWORD }, 'UNAUTHENTICATED')
    const short = await identityRefuses(h, 'Authenticate', { username: customer.email, password: 'x' }, 'UNAUTHENTICATED')
    assert.equal(wrong.message, unknown.message)
    assert.equal(short.message, unknown.message)
    assert.equal(wrong.details, undefined)
    assert.equal(unknown.details, undefined)
  })

  await t.test('when the username or password is empty or too long, then VALIDATION_FAILED', async () => {
    await identityRefuses(h, 'Authenticate', { username: '', password: '' }, 'VALIDATION_FAILED', ['username', 'password'])
    await identityRefuses(h, 'Authenticate', { username: 'u'.repeat(321), password: 'p'.repeat(129) }, 'VALIDATION_FAILED', [
      'username',
      'password',
    ])
  })

  await t.test('when a customer sets their own password, then only the new one signs in', async () => {
    const c = await h.createCustomer()
    const p = await h.identity('SetPassword', { actor: actor('CUSTOMER', c.id as string), subject: c.id, password: 'a brand new secret' })
    assert.equal(p.subject, c.id)
    assert.equal((await h.identity('Authenticate', { username: c.email, password: 'a brand new secret' })).subject, c.id)
    await identityRefuses(h, 'Authenticate', { username: c.email, password: PASSWORD }, 'UNAUTHENTICATED')
  })

  await t.test("when an admin sets a broker's password, then the broker signs in with it", async () => {
    const b = await h.createBroker()
    await h.identity('SetPassword', { actor: ADMIN, subject: b.id, password: 'broker secret 2' })
    assert.equal((await h.identity('Authenticate', { username: b.email, password: 'broker secret 2' })).role, 'BROKER')
  })

  await t.test('when a customer changes their password with the current one, then only the new one signs in', async () => {
    const c = await h.createCustomer()
    const me = actor('CUSTOMER', c.id as string)
    const p = await h.identity('ChangePassword', { actor: me, current_password: PASSWORD, new_password: 'changed secret 1' })
    assert.equal(p.subject, c.id)
    assert.equal((await h.identity('Authenticate', { username: c.email, password: 'changed secret 1' })).subject, c.id)
    await identityRefuses(h, 'Authenticate', { username: c.email, password: PASSWORD }, 'UNAUTHENTICATED')
  })

  await t.test(
    'when ChangePassword gets a wrong current password or a new one breaking the rules, then VALIDATION_FAILED and nothing changes',
    async () => {
      const me = actor('BROKER', broker.id as string)
      await identityRefuses(
        h,
        'ChangePassword',
        { actor: me, current_password: 'not it at all', new_password: 'fine new pass' },
        'VALIDATION_FAILED',
        ['currentPassword'],
      )
      await identityRefuses(h, 'ChangePassword', { actor: me, current_password: PASSWORD, new_password: 'short' }, 'VALIDATION_FAILED', [
        'newPassword',
      ])
      await identityRefuses(h, 'ChangePassword', { actor: ADMIN, current_password: 'admin', new_password: 'fine new pass' }, 'FORBIDDEN')
    },
  )

  await t.test("when someone else's or an unknown account is named, then NOT_FOUND and nothing changes", async () => {
    await identityRefuses(h, 'SetPassword', { actor: actor('CUSTOMER'), subject: customer.id, password: 'takeover pass' }, 'NOT_FOUND')
    await identityRefuses(
      h,
      'SetPassword',
      { actor: actor('BROKER', broker.id as string), subject: customer.id, password: 'takeover pass' },
      'NOT_FOUND',
    )
    await identityRefuses(h, 'SetPassword', { actor: ADMIN, subject: randomUUID(), password: 'whatever pass' }, 'NOT_FOUND')
  })

  await t.test('when SetPassword gets bad input, then VALIDATION_FAILED names each bad field and nothing changes', async () => {
    await identityRefuses(h, 'SetPassword', { actor: ADMIN, subject: customer.id, password: 'short' }, 'VALIDATION_FAILED', ['password'])
    await identityRefuses(h, 'SetPassword', { actor: ADMIN, subject: customer.id, password: 'p'.repeat(129) }, 'VALIDATION_FAILED', [
      'password',
    ])
    await identityRefuses(h, 'SetPassword', { actor: null, subject: 'me', password: '' }, 'VALIDATION_FAILED', [
      'actor',
      'subject',
      'password',
    ])
  })
})

test('when a customer lives through every method and flow, then their password appears in no response, event or column', async (t) => {
  const h = await startHarness(t)
  const secret = `pw-${randomUUID()}`
  const brokerSecret = `bpw-${randomUUID()}`
  const broker = await h.createBroker({ password: brokerSecret })
  const key = `k-${randomUUID()}`
  const c = await h.call('CreateCustomer', {
    actor: ADMIN,
    idempotency_key: key,
    name: 'Sec Ret',
    email: `sec-${randomUUID()}@example.com`,
    password: secret,
  })
  await h.call('CreateCustomer', { actor: ADMIN, idempotency_key: key, name: 'Sec Ret', email: c.email, password: secret })
  const id = c.id as string
  await h.call('GetCustomer', { id })
  await h.call('ListCustomers', {})
  await h.call('ListBrokers', {})
  await h.call('SetTier', { actor: ADMIN, id, tier: 'PREMIUM' })
  await h.call('AssignBroker', { actor: ADMIN, id, broker_id: broker.id })
  const m = await h.call('RequestWithdrawal', { actor: actor('CUSTOMER', id), customer_id: id, amount: 10, iban: IBAN })
  await h.call('RequestDeposit', { actor: actor('CUSTOMER', id), customer_id: id, amount: 10 })
  await h.publish('WithdrawalReserved', {
    movementId: m.id as string,
    customerId: id,
    assetName: 'TRY',
    amount: 10,
    reservedAt: new Date().toISOString(),
  })
  await h.events.until((es) => es.some((e) => e.type === 'WithdrawalSent'), { what: 'WithdrawalSent' })
  await h.call('SetStatus', { actor: ADMIN, id, status: 'SUSPENDED' })
  await h.call('ListMovements', { customer_id: id })
  await h.identity('Authenticate', { username: c.email, password: secret })
  await h.identity('SetPassword', { actor: ADMIN, subject: id, password: `${secret}-2` })
  await h.identity('Authenticate', { username: broker.email, password: brokerSecret })

  const leaks = (text: string) => text.includes(secret) || text.includes(brokerSecret)
  assert.ok(h.answers.length >= 14)
  for (const answer of h.answers) assert.equal(leaks(JSON.stringify(answer)), false, JSON.stringify(answer))

  const records = await h.records('customer.events')
  assert.ok(records.length >= 6)
  for (const r of records) {
    assert.equal(leaks(r.value.toString('latin1')) || leaks(r.value.toString('utf8')), false)
    assert.equal(leaks(JSON.stringify(r.headers)), false)
  }

  const { rows } = await h.db.query(`
    SELECT row_to_json(c)::text AS row FROM customers c
    UNION ALL SELECT row_to_json(b)::text FROM brokers b
    UNION ALL SELECT row_to_json(cr)::text FROM credentials cr
    UNION ALL SELECT row_to_json(m)::text FROM movements m
    UNION ALL SELECT row_to_json(p)::text FROM payouts p
    UNION ALL SELECT row_to_json(i)::text FROM idempotency_keys i`)
  assert.ok(rows.length >= 6)
  for (const { row } of rows) assert.equal(leaks(row), false, row)
})
