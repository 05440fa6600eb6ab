import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { startIdentityProvider } from '../../services/gateway/test/identity-provider.js'
import { startPlatform } from './harness.js'
import { balances, deposit, until } from './helpers.js'

const IBAN = 'TR330006100519786457841326'

// Tokens of an external provider, Keycloak-shaped: `sub` is the provider's own user id (here
// the client id), which is no customer or broker id; roles are realm roles and the
// brokerage ids are attributes mapped into a claim of their own. Ids are filled in as the
// accounts are created.
const CLIENTS: Record<string, Record<string, unknown>> = {
  'admin-app': { realm_access: { roles: ['admin'] } },
  'broker-a-app': { realm_access: { roles: ['broker'] } },
  'broker-b-app': { realm_access: { roles: ['broker'] } },
  'customer-x-app': { realm_access: { roles: ['customer'] } },
}

test('with an external OIDC provider whose subjects are no brokerage ids, on real processes', async (t) => {
  const idp = await startIdentityProvider(t, CLIENTS)
  const p = await startPlatform(t, {
    serviceEnv: {
      gateway: {
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_ROLES_CLAIMS: 'realm_access.roles',
        OIDC_CUSTOMER_ID_CLAIM: 'brokerage.customer_id',
        OIDC_BROKER_ID_CLAIM: 'brokerage.broker_id',
      },
    },
  })
  const admin = await idp.token('admin-app')
  const createBroker = async (name: string) => {
    const res = await p.api('POST', '/api/brokers', { token: admin, body: { name, email: `${name}@example.com`, password: 'long enough' } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return res.body.id as string
  }
  const brokerA = await createBroker('broker-a')
  const brokerB = await createBroker('broker-b')
  CLIENTS['broker-a-app']!['brokerage'] = { broker_id: brokerA }
  CLIENTS['broker-b-app']!['brokerage'] = { broker_id: brokerB }
  const [a, b] = [await idp.token('broker-a-app'), await idp.token('broker-b-app')]
  const orderDb = p.db('order')

  let x = ''
  let xToken = ''
  let xOrder = ''
  await t.test(
    'when a broker creates a customer and the customer deposits, withdraws and orders, then the customer service accepts them as themselves',
    async () => {
      const created = await p.api('POST', '/api/customers', {
        token: a,
        body: { name: 'Xavier', email: 'x@example.com', password: 'long enough' },
      })
      assert.equal(created.status, 201, JSON.stringify(created.body))
      assert.equal(created.body.brokerId, brokerA)
      x = created.body.id
      CLIENTS['customer-x-app']!['brokerage'] = { customer_id: x }
      xToken = await idp.token('customer-x-app')

      await deposit(p, xToken, x, 1_000_000)
      const withdrawal = await p.api('POST', `/api/customers/${x}/withdrawals`, { token: xToken, body: { amount: 100_000, iban: IBAN } })
      assert.equal(withdrawal.status, 202, JSON.stringify(withdrawal.body))
      await until(
        'the withdrawal to leave the balance',
        () => balances(p, xToken, x),
        (bal) => bal.TRY?.size === 900_000,
      )
      const byBroker = await p.api('POST', `/api/customers/${x}/deposits`, { token: a, body: { amount: 5, assetName: 'AAPL' } })
      assert.equal(byBroker.status, 202, JSON.stringify(byBroker.body))

      // The order service learns of the customer from CustomerCreated; its copy must exist first.
      const orderDb = p.db('order')
      await until(
        'the order service to know the customer',
        async () => (await orderDb.query('SELECT 1 FROM customers WHERE customer_id = $1 AND registered', [x])).rowCount,
        (n) => n === 1,
      )
      const placed = await p.api('POST', '/api/orders', {
        token: xToken,
        body: { customerId: x, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 },
      })
      assert.equal(placed.status, 202, JSON.stringify(placed.body))
      xOrder = placed.body.id
      const movements = await p.api('GET', `/api/customers/${x}/movements`, { token: xToken })
      assert.deepEqual(movements.body.content.map((m: { kind: string }) => m.kind).sort(), ['DEPOSIT', 'DEPOSIT', 'WITHDRAWAL'])
    },
  )

  await t.test(
    'when an admin moves the customer to another broker, then the order list follows at once, before the order service hears of it',
    async () => {
      const orderIds = async (token: string) => {
        const res = await p.api('GET', '/api/orders', { token })
        assert.equal(res.status, 200, JSON.stringify(res.body))
        return res.body.content.map((o: { id: string }) => o.id)
      }
      assert.deepEqual(await orderIds(a), [xOrder])
      assert.deepEqual(await orderIds(b), [])

      // Hold the order service's copy of the customer: BrokerAssigned cannot be applied until released.
      const held = new pg.Client({ connectionString: p.serviceEnv('order')['DATABASE_URL'] })
      await held.connect()
      try {
        await held.query('BEGIN')
        await held.query('SELECT 1 FROM customers WHERE customer_id = $1 FOR UPDATE', [x])

        const moved = await p.api('PUT', `/api/customers/${x}/broker`, { token: admin, body: { brokerId: brokerB } })
        assert.equal(moved.status, 200, JSON.stringify(moved.body))
        assert.deepEqual(await orderIds(a), [])
        assert.deepEqual(await orderIds(b), [xOrder])
        const stale = await orderDb.query('SELECT broker_id FROM customers WHERE customer_id = $1', [x])
        assert.equal(stale.rows[0].broker_id, brokerA, 'the order service had not applied BrokerAssigned')
      } finally {
        await held.end()
      }
      await until(
        'the order service to apply BrokerAssigned',
        async () => (await orderDb.query('SELECT broker_id FROM customers WHERE customer_id = $1', [x])).rows[0].broker_id,
        (broker) => broker === brokerB,
      )
    },
  )

  await t.test('when a broker has more than 1 000 customers, then their balances and orders still list', async () => {
    // Customers written straight into the customer service's database: a thousand sign-ups
    // through the API would take minutes and prove nothing more.
    await p.db('customer').query(
      `INSERT INTO customers (id, name, email, tier, status, broker_id, created_at, updated_at)
         SELECT gen_random_uuid(), 'Bulk ' || i, 'bulk' || i || '@example.com', 'STANDARD', 'ACTIVE', $1, now(), now()
         FROM generate_series(1, 1000) AS i`,
      [brokerB],
    )
    const listed = await p.api('GET', '/api/customers?size=1', { token: b })
    assert.equal(listed.body.totalElements, 1001)

    const assets = await p.api('GET', '/api/assets', { token: b })
    assert.equal(assets.status, 200, JSON.stringify(assets.body))
    assert.deepEqual(assets.body.map((bal: { customerId: string; assetName: string }) => `${bal.customerId}:${bal.assetName}`).sort(), [
      `${x}:AAPL`,
      `${x}:TRY`,
    ])
    const orders = await p.api('GET', '/api/orders', { token: b })
    assert.equal(orders.status, 200, JSON.stringify(orders.body))
    assert.deepEqual(
      orders.body.content.map((o: { id: string }) => o.id),
      [xOrder],
    )
  })
})
