import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { Customer__Output, ListCustomersResponse__Output } from '@brokerage/contracts/grpc'
import { ADMIN, PASSWORD, actor, ofType, startHarness, type Json } from './harness.js'

// CustomerService: customers and brokers. Each top-level test starts one service; its
// subtests run in order against it.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

test('CreateCustomer', async (t) => {
  const h = await startHarness(t)

  await t.test(
    'when an admin creates a customer, then it is stored ACTIVE/STANDARD with a lower-cased email and CustomerCreated is emitted',
    async () => {
      const email = `Mixed.Case-${randomUUID()}@Example.COM`
      const c = await h.call('CreateCustomer', { actor: ADMIN, name: '  Ayşe Yılmaz  ', email, password: PASSWORD })
      assert.match(c.id as string, UUID)
      assert.deepEqual(
        { name: c.name, email: c.email, tier: c.tier, status: c.status, broker_id: c.broker_id },
        { name: 'Ayşe Yılmaz', email: email.toLowerCase(), tier: 'STANDARD', status: 'ACTIVE', broker_id: '' },
      )
      assert.match(c.created_at as string, ISO)
      assert.equal(c.updated_at, c.created_at)
      assert.equal('password' in c, false)

      const { rows } = await h.db.query('SELECT name, email, tier, status, broker_id FROM customers WHERE id = $1', [c.id])
      assert.deepEqual(rows, [{ name: 'Ayşe Yılmaz', email: email.toLowerCase(), tier: 'STANDARD', status: 'ACTIVE', broker_id: null }])
      const cred = await h.db.query('SELECT username, role, password_hash FROM credentials WHERE subject = $1', [c.id])
      assert.equal(cred.rows[0]!.username, email.toLowerCase())
      assert.equal(cred.rows[0]!.role, 'CUSTOMER')
      assert.match(cred.rows[0]!.password_hash, /^scrypt\$ln=10,r=8,p=5\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)

      const [created, ...more] = ofType(await h.published(), 'CustomerCreated', { customerId: c.id as string })
      assert.equal(more.length, 0)
      assert.deepEqual(created!.data, {
        customerId: c.id,
        name: 'Ayşe Yılmaz',
        email: email.toLowerCase(),
        tier: 'STANDARD',
        status: 'ACTIVE',
        brokerId: null,
        createdAt: c.created_at,
      })
      assert.equal(created!.key, c.id)
      assert.equal(created!.correlationId, ADMIN.request_id)
    },
  )

  await t.test('when a tier and an existing broker are given, then the customer has them', async () => {
    const broker = await h.createBroker()
    const c = await h.createCustomer({ tier: 'VIP', broker_id: broker.id })
    assert.equal(c.tier, 'VIP')
    assert.equal(c.broker_id, broker.id)
    const [created] = ofType(await h.published(), 'CustomerCreated', { customerId: c.id as string })
    assert.equal(created!.data.brokerId, broker.id)
    assert.equal(created!.data.tier, 'VIP')
  })

  await t.test('when a broker creates a customer, then the customer is assigned to that broker', async () => {
    const broker = await h.createBroker()
    const c = await h.createCustomer({}, actor('BROKER', broker.id as string))
    assert.equal(c.broker_id, broker.id)
    const again = await h.createCustomer({ broker_id: broker.id }, actor('BROKER', broker.id as string))
    assert.equal(again.broker_id, broker.id)
  })

  await t.test('when a broker names another broker, then FORBIDDEN and nothing changes', async () => {
    const [mine, other] = [await h.createBroker(), await h.createBroker()]
    await h.refuses(
      'CreateCustomer',
      { actor: actor('BROKER', mine.id as string), name: 'X', email: 'x@example.com', password: PASSWORD, broker_id: other.id },
      'FORBIDDEN',
    )
  })

  await t.test('when a customer tries to create a customer, then FORBIDDEN and nothing changes', async () => {
    await h.refuses('CreateCustomer', { actor: actor('CUSTOMER'), name: 'X', email: 'x@example.com', password: PASSWORD }, 'FORBIDDEN')
  })

  await t.test('when the email is taken (any case, by a customer or a broker), then ALREADY_EXISTS and nothing changes', async () => {
    const first = await h.createCustomer()
    await h.refuses(
      'CreateCustomer',
      { actor: ADMIN, name: 'Dup', email: (first.email as string).toUpperCase(), password: PASSWORD },
      'ALREADY_EXISTS',
      ['email'],
    )
    const broker = await h.createBroker()
    await h.refuses('CreateCustomer', { actor: ADMIN, name: 'Dup', email: broker.email, password: PASSWORD }, 'ALREADY_EXISTS', ['email'])
  })

  await t.test('when the broker does not exist, then NOT_FOUND and nothing changes', async () => {
    await h.refuses(
      'CreateCustomer',
      { actor: ADMIN, name: 'X', email: 'x@example.com', password: PASSWORD, broker_id: randomUUID() },
      'NOT_FOUND',
      ['broker_id'],
    )
  })

  const valid = { actor: ADMIN, name: 'Valid Name', email: 'valid@example.com', password: PASSWORD }
  const bad: Array<[string, Json, string[]]> = [
    ['the name is empty', { name: '' }, ['name']],
    ['the name is only spaces', { name: '   ' }, ['name']],
    ['the name is 201 characters', { name: 'a'.repeat(201) }, ['name']],
    ['the name holds a control character', { name: 'a\u0000b' }, ['name']],
    ['the email is empty', { email: '' }, ['email']],
    ['the email has no @', { email: 'not-an-email' }, ['email']],
    ['the email has no domain dot', { email: 'a@localhost' }, ['email']],
    ['the email is a number', { email: 42 }, ['email']],
    ['the email is too long', { email: `${'a'.repeat(64)}@${'b'.repeat(200)}.example.com` }, ['email']],
    ['the password is empty', { password: '' }, ['password']],
    ['the password is 7 characters', { password: '1234567' }, ['password']],
    ['the password is 129 characters', { password: 'p'.repeat(129) }, ['password']],
    ['the tier is unknown', { tier: 7 }, ['tier']],
    ['the broker id is not a UUID', { broker_id: 'broker-1' }, ['broker_id']],
    ['the actor is missing', { actor: null }, ['actor']],
    ['the actor has no role', { actor: { subject: 'admin', role: 'ROLE_UNSPECIFIED' } }, ['actor.role']],
    ['the actor is a broker without an id', { actor: { subject: 'bob', role: 'BROKER' } }, ['actor.subject']],
    ['the idempotency key is 256 characters', { idempotency_key: 'k'.repeat(256) }, ['idempotency_key']],
    [
      'everything is wrong',
      { name: '', email: 'x', password: 'short', tier: 9, broker_id: 'nope' },
      ['name', 'email', 'password', 'tier', 'broker_id'],
    ],
  ]
  for (const [what, change, fields] of bad) {
    await t.test(`when ${what}, then VALIDATION_FAILED names ${fields.join(', ')} and nothing changes`, async () => {
      await h.refuses('CreateCustomer', { ...valid, ...change }, 'VALIDATION_FAILED', fields)
    })
  }
})

test('CreateCustomer idempotency', async (t) => {
  const h = await startHarness(t)
  const request = () => ({
    actor: ADMIN,
    idempotency_key: `key-${randomUUID()}`,
    name: 'Idem Potent',
    email: `idem-${randomUUID()}@example.com`,
    password: PASSWORD,
  })

  await t.test(
    'when the same request comes twice with one key, then the same customer answers and one CustomerCreated exists',
    async () => {
      const req = request()
      const first = await h.call('CreateCustomer', req)
      const second = await h.call('CreateCustomer', { ...req, name: '  Idem Potent ', email: req.email.toUpperCase() })
      assert.deepEqual(second, first)
      assert.equal((await h.db.query('SELECT 1 FROM customers WHERE email = $1', [req.email])).rowCount, 1)
      assert.equal(ofType(await h.published(), 'CustomerCreated', { customerId: first.id as string }).length, 1)
    },
  )

  await t.test('when the replayed customer changed since, then the replay answers its current state', async () => {
    const req = request()
    const first = await h.call('CreateCustomer', req)
    await h.call('SetTier', { actor: ADMIN, id: first.id, tier: 'PREMIUM' })
    const again = await h.call('CreateCustomer', req)
    assert.equal(again.id, first.id)
    assert.equal(again.tier, 'PREMIUM')
  })

  await t.test(
    'when one key comes with a different request or another password, then IDEMPOTENCY_KEY_REUSED and nothing changes',
    async () => {
      const req = request()
      await h.call('CreateCustomer', req)
      await h.refuses('CreateCustomer', { ...req, name: 'Someone Else' }, 'IDEMPOTENCY_KEY_REUSED')
      await h.refuses('CreateCustomer', { ...req, tier: 'VIP' }, 'IDEMPOTENCY_KEY_REUSED')
      await h.refuses('CreateCustomer', { ...req, password: 'another password' }, 'IDEMPOTENCY_KEY_REUSED')
    },
  )

  await t.test('when two requests with one key race, then one customer is created and both get it', async () => {
    const req = request()
    const [a, b] = await Promise.all([h.call('CreateCustomer', req), h.call('CreateCustomer', req)])
    assert.deepEqual(a, b)
    assert.equal((await h.db.query('SELECT 1 FROM customers WHERE email = $1', [req.email])).rowCount, 1)
    assert.equal(ofType(await h.published(), 'CustomerCreated', { customerId: a.id as string }).length, 1)
  })

  await t.test('when another actor uses the same key, then it is their own key', async () => {
    const req = request()
    const first = await h.call('CreateCustomer', req)
    const broker = await h.createBroker()
    const other = await h.call('CreateCustomer', {
      ...req,
      actor: actor('BROKER', broker.id as string),
      email: `other-${randomUUID()}@example.com`,
    })
    assert.notEqual(other.id, first.id)
  })

  await t.test('when no key is sent, then the same request twice is refused the second time by the unique email', async () => {
    const req = { ...request(), idempotency_key: '' }
    await h.call('CreateCustomer', req)
    await h.refuses('CreateCustomer', req, 'ALREADY_EXISTS', ['email'])
  })
})

test('GetCustomer and ListCustomers', async (t) => {
  const h = await startHarness(t)
  const [b1, b2] = [await h.createBroker(), await h.createBroker()]
  const made: Customer__Output[] = []
  for (const [tier, broker] of [
    ['STANDARD', b1],
    ['VIP', b1],
    ['PREMIUM', b2],
    ['VIP', null],
    ['STANDARD', b2],
  ] as const) {
    made.push(await h.createCustomer({ tier, broker_id: broker?.id ?? '' }))
  }
  await h.call('SetStatus', { actor: ADMIN, id: made[1]!.id, status: 'SUSPENDED' })
  made[1] = await h.call('GetCustomer', { id: made[1]!.id })
  const ids = (list: Pick<ListCustomersResponse__Output, 'content'>) => list.content.map((c) => c.id)
  const newestFirst = [...made].reverse()

  await t.test('when a customer is read by id, then exactly that customer answers', async () => {
    for (const c of made) assert.deepEqual(await h.call('GetCustomer', { id: c.id }), c)
  })

  await t.test('when the id is unknown, then NOT_FOUND; when it is not a UUID, then VALIDATION_FAILED', async () => {
    await h.refuses('GetCustomer', { id: randomUUID() }, 'NOT_FOUND')
    await h.refuses('GetCustomer', { id: 'c-1' }, 'VALIDATION_FAILED', ['id'])
    await h.refuses('GetCustomer', { id: '' }, 'VALIDATION_FAILED', ['id'])
    // A broker's id names no customer.
    await h.refuses('GetCustomer', { id: b1.id }, 'NOT_FOUND')
  })

  await t.test('when listed without filters, then all come newest first with the page info', async () => {
    const list = await h.call('ListCustomers', {})
    assert.deepEqual(ids(list), ids({ content: newestFirst }))
    assert.deepEqual(list.page, { page: 0, size: 20, total_elements: 5 })
    assert.deepEqual(list.content, newestFirst)
  })

  await t.test('when paged by 2, then the pages partition the list in order', async () => {
    const pages = [0, 1, 2].map((page) => h.call('ListCustomers', { page: { page, size: 2 } }))
    const got = await Promise.all(pages)
    assert.deepEqual(got.map(ids), [
      ids({ content: newestFirst.slice(0, 2) }),
      ids({ content: newestFirst.slice(2, 4) }),
      ids({ content: newestFirst.slice(4) }),
    ])
    for (const [i, p] of got.entries()) assert.deepEqual(p.page, { page: i, size: 2, total_elements: 5 })
    const beyond = await h.call('ListCustomers', { page: { page: 9, size: 2 } })
    assert.deepEqual(beyond.content, [])
  })

  await t.test('when filtered by broker, tier or status, then exactly the matching customers answer', async () => {
    const byBroker = await h.call('ListCustomers', { broker_id: b1.id })
    assert.deepEqual(ids(byBroker), [made[1]!.id, made[0]!.id])
    assert.equal(byBroker.page?.total_elements, 2)
    assert.deepEqual(ids(await h.call('ListCustomers', { tier: 'VIP' })), [made[3]!.id, made[1]!.id])
    assert.deepEqual(ids(await h.call('ListCustomers', { status: 'SUSPENDED' })), [made[1]!.id])
    assert.deepEqual(ids(await h.call('ListCustomers', { broker_id: b2.id, tier: 'STANDARD', status: 'ACTIVE' })), [made[4]!.id])
    assert.deepEqual(ids(await h.call('ListCustomers', { broker_id: randomUUID() })), [])
  })

  const badLists: Array<[string, Json, string[]]> = [
    ['the page size is 101', { page: { page: 0, size: 101 } }, ['page.size']],
    ['the page is negative', { page: { page: -1, size: 10 } }, ['page.page']],
    ['the page size is negative', { page: { page: 0, size: -5 } }, ['page.size']],
    ['the broker id is not a UUID', { broker_id: 'b' }, ['broker_id']],
    ['the tier is unknown', { tier: 9 }, ['tier']],
    ['the status is unknown', { status: 5 }, ['status']],
  ]
  for (const [what, req, fields] of badLists) {
    await t.test(`when ${what}, then ListCustomers answers VALIDATION_FAILED naming ${fields.join(', ')}`, async () => {
      await h.refuses('ListCustomers', req, 'VALIDATION_FAILED', fields)
    })
  }
})

test('SetTier, SetStatus and AssignBroker', async (t) => {
  const h = await startHarness(t)
  const customer = await h.createCustomer()
  const id = customer.id as string
  const events = async () => (await h.published()).filter((e) => e.key === id && e.type !== 'CustomerCreated')

  await t.test('when an admin changes the tier, then the customer has it and CustomerTierChanged is emitted', async () => {
    const c = await h.call('SetTier', { actor: ADMIN, id, tier: 'VIP' })
    assert.equal(c.tier, 'VIP')
    assert.ok((c.updated_at as string) >= (customer.updated_at as string))
    assert.deepEqual(await h.call('GetCustomer', { id }), c)
    const [changed, ...more] = ofType(await events(), 'CustomerTierChanged')
    assert.equal(more.length, 0)
    assert.deepEqual(changed!.data, { customerId: id, previousTier: 'STANDARD', tier: 'VIP', changedAt: c.updated_at })
  })

  await t.test('when the tier is set to what it is, then the same answer and no event', async () => {
    const before = await h.snapshot()
    const current = await h.call('GetCustomer', { id })
    assert.deepEqual(await h.call('SetTier', { actor: ADMIN, id, tier: 'VIP' }), current)
    assert.deepEqual(await h.snapshot(), before)
  })

  await t.test('when an admin suspends and reactivates, then each change emits CustomerStatusChanged', async () => {
    const suspended = await h.call('SetStatus', { actor: ADMIN, id, status: 'SUSPENDED' })
    assert.equal(suspended.status, 'SUSPENDED')
    const before = await h.snapshot()
    assert.deepEqual(await h.call('SetStatus', { actor: ADMIN, id, status: 'SUSPENDED' }), suspended)
    assert.deepEqual(await h.snapshot(), before)
    const active = await h.call('SetStatus', { actor: ADMIN, id, status: 'ACTIVE' })
    assert.equal(active.status, 'ACTIVE')
    assert.deepEqual(
      ofType(await events(), 'CustomerStatusChanged')
        .map((e) => [e.data.previousStatus, e.data.status])
        .sort(),
      [
        ['ACTIVE', 'SUSPENDED'],
        ['SUSPENDED', 'ACTIVE'],
      ],
    )
  })

  await t.test('when an admin assigns, moves and removes the broker, then each change emits BrokerAssigned', async () => {
    const [b1, b2] = [await h.createBroker(), await h.createBroker()]
    assert.equal((await h.call('AssignBroker', { actor: ADMIN, id, broker_id: b1.id })).broker_id, b1.id)
    const before = await h.snapshot()
    assert.equal((await h.call('AssignBroker', { actor: ADMIN, id, broker_id: b1.id })).broker_id, b1.id)
    assert.deepEqual(await h.snapshot(), before, 'the same broker again changes nothing')
    assert.equal((await h.call('AssignBroker', { actor: ADMIN, id, broker_id: b2.id })).broker_id, b2.id)
    assert.equal((await h.call('AssignBroker', { actor: ADMIN, id, broker_id: '' })).broker_id, '')
    assert.equal((await h.db.query('SELECT broker_id FROM customers WHERE id = $1', [id])).rows[0]!.broker_id, null)
    const assigned = ofType(await events(), 'BrokerAssigned').map((e) => [e.data.previousBrokerId, e.data.brokerId])
    assert.deepEqual(
      assigned.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [b1.id, b2.id],
        [b2.id, null],
        [null, b1.id],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    const before2 = await h.snapshot()
    await h.call('AssignBroker', { actor: ADMIN, id, broker_id: '' })
    assert.deepEqual(await h.snapshot(), before2, 'removing no broker changes nothing')
  })

  await t.test('when the customer or the broker is unknown, then NOT_FOUND and nothing changes', async () => {
    await h.refuses('SetTier', { actor: ADMIN, id: randomUUID(), tier: 'VIP' }, 'NOT_FOUND')
    await h.refuses('SetStatus', { actor: ADMIN, id: randomUUID(), status: 'SUSPENDED' }, 'NOT_FOUND')
    await h.refuses('AssignBroker', { actor: ADMIN, id: randomUUID(), broker_id: '' }, 'NOT_FOUND')
    await h.refuses('AssignBroker', { actor: ADMIN, id, broker_id: randomUUID() }, 'NOT_FOUND', ['broker_id'])
  })

  await t.test('when the actor is not an admin, then FORBIDDEN and nothing changes', async () => {
    for (const who of [actor('CUSTOMER', id), actor('BROKER')]) {
      await h.refuses('SetTier', { actor: who, id, tier: 'PREMIUM' }, 'FORBIDDEN')
      await h.refuses('SetStatus', { actor: who, id, status: 'SUSPENDED' }, 'FORBIDDEN')
      await h.refuses('AssignBroker', { actor: who, id, broker_id: '' }, 'FORBIDDEN')
    }
  })

  const bad: Array<[string, string, Json, string[]]> = [
    ['SetTier', 'the tier is unspecified', { actor: ADMIN, id, tier: 'TIER_UNSPECIFIED' }, ['tier']],
    ['SetTier', 'the tier is unknown', { actor: ADMIN, id, tier: 12 }, ['tier']],
    ['SetTier', 'the id is not a UUID', { actor: ADMIN, id: 'x', tier: 'VIP' }, ['id']],
    ['SetTier', 'the actor is missing and the id empty', { id: '', tier: 'VIP' }, ['actor', 'id']],
    ['SetStatus', 'the status is unspecified', { actor: ADMIN, id, status: 'CUSTOMER_STATUS_UNSPECIFIED' }, ['status']],
    ['SetStatus', 'the status is unknown', { actor: ADMIN, id, status: 3 }, ['status']],
    ['SetStatus', 'the id is empty', { actor: ADMIN, id: '', status: 'ACTIVE' }, ['id']],
    ['AssignBroker', 'the broker id is not a UUID', { actor: ADMIN, id, broker_id: 'broker-7' }, ['broker_id']],
    ['AssignBroker', 'the id is not a UUID', { actor: ADMIN, id: 42, broker_id: '' }, ['id']],
  ]
  for (const [method, what, req, fields] of bad) {
    await t.test(`when ${what}, then ${method} answers VALIDATION_FAILED naming ${fields.join(', ')}`, async () => {
      await h.refuses(method, req, 'VALIDATION_FAILED', fields)
    })
  }
})

test('CreateBroker and ListBrokers', async (t) => {
  const h = await startHarness(t)

  await t.test('when an admin creates brokers, then they are stored with credentials and listed newest first', async () => {
    const email = `Broker-${randomUUID()}@Example.com`
    const b = await h.call('CreateBroker', { actor: ADMIN, name: ' Bora ', email, password: PASSWORD })
    assert.match(b.id as string, UUID)
    assert.deepEqual({ name: b.name, email: b.email }, { name: 'Bora', email: email.toLowerCase() })
    assert.match(b.created_at as string, ISO)
    assert.equal('password' in b, false)
    const cred = await h.db.query('SELECT role, username FROM credentials WHERE subject = $1', [b.id])
    assert.deepEqual(cred.rows, [{ role: 'BROKER', username: email.toLowerCase() }])
    const more = [await h.createBroker(), await h.createBroker()]
    const list = await h.call('ListBrokers', {})
    assert.deepEqual(list.content, [more[1], more[0], b])
    assert.deepEqual(list.page, { page: 0, size: 20, total_elements: 3 })
    const second = await h.call('ListBrokers', { page: { page: 1, size: 2 } })
    assert.deepEqual(second.content, [b])
    assert.equal(ofType(await h.published(), 'CustomerCreated').length, 0, 'a broker is not a customer')
  })

  await t.test('when the email belongs to a customer or a broker, then ALREADY_EXISTS and nothing changes', async () => {
    const c = await h.createCustomer()
    await h.refuses('CreateBroker', { actor: ADMIN, name: 'B', email: c.email, password: PASSWORD }, 'ALREADY_EXISTS', ['email'])
    const b = await h.createBroker()
    await h.refuses(
      'CreateBroker',
      { actor: ADMIN, name: 'B', email: (b.email as string).toUpperCase(), password: PASSWORD },
      'ALREADY_EXISTS',
      ['email'],
    )
  })

  await t.test('when a broker or a customer creates a broker, then FORBIDDEN and nothing changes', async () => {
    for (const who of [actor('BROKER'), actor('CUSTOMER')]) {
      await h.refuses('CreateBroker', { actor: who, name: 'B', email: 'b@example.com', password: PASSWORD }, 'FORBIDDEN')
    }
  })

  const bad: Array<[string, Json, string[]]> = [
    ['the name is empty', { name: '' }, ['name']],
    ['the name is too long', { name: 'n'.repeat(201) }, ['name']],
    ['the email is invalid', { email: 'broker@' }, ['email']],
    ['the password is too short', { password: 'short' }, ['password']],
    ['the password is too long', { password: 'x'.repeat(129) }, ['password']],
    ['the actor is missing', { actor: null }, ['actor']],
  ]
  for (const [what, change, fields] of bad) {
    await t.test(`when ${what}, then CreateBroker answers VALIDATION_FAILED naming ${fields.join(', ')}`, async () => {
      await h.refuses(
        'CreateBroker',
        { actor: ADMIN, name: 'B', email: 'b@example.com', password: PASSWORD, ...change },
        'VALIDATION_FAILED',
        fields,
      )
    })
  }

  await t.test('when ListBrokers gets a bad page, then VALIDATION_FAILED', async () => {
    await h.refuses('ListBrokers', { page: { page: 0, size: 1000 } }, 'VALIDATION_FAILED', ['page.size'])
  })
})
