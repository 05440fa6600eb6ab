import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { decodeJwt, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose'
import { startPlatform } from './harness.js'
import { createCustomer, deposit } from './helpers.js'
import { CALLERS, documentedRoutes, MATRIX, openApiDocument, type Caller, type MatrixContext } from './authz-matrix.js'

const PASSWORDS = { broker: 'broker-password', customer: 'secret-password' }
const SIGNED_IN = ['admin', 'broker', 'otherBroker', 'customer', 'otherCustomer'] as const

/** The same claims as `token`, signed with `key` (its header's kid kept) and issued and expired at the given times. */
async function resign(token: string, key: CryptoKey, kid: string, times: { iat: number; exp: number }) {
  const { iat: _iat, exp: _exp, ...claims } = decodeJwt(token)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
    .setIssuedAt(times.iat)
    .setExpirationTime(times.exp)
    .sign(key)
}

test('when every caller calls every documented route, then each gets the status the matrix states', async (t) => {
  // The matrix is about who may call what, not about rate limits: the callers without a valid
  // token all come from one address, whose limit is raised out of the way.
  const p = await startPlatform(t, { env: { RATE_LIMIT_PER_ADDRESS: '100000' } })
  const admin = await p.login('admin', 'admin')
  const broker = async (name: string) => {
    const email = `broker-${randomUUID().slice(0, 8)}@example.com`
    const res = await p.api('POST', '/api/brokers', { token: admin, body: { name, email, password: PASSWORDS.broker } })
    assert.equal(res.status, 201, JSON.stringify(res.body))
    return { id: res.body.id as string, email }
  }
  const brokerA = await broker('Broker A')
  const brokerB = await broker('Broker B')
  const customer = async (brokerId: string) => {
    const c = await createCustomer(p, admin, { tier: 'VIP', password: PASSWORDS.customer })
    const res = await p.api('PUT', `/api/customers/${c.id}/broker`, { token: admin, body: { brokerId } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    return c
  }
  const alice = await customer(brokerA.id)
  const other = await customer(brokerB.id)
  const emails: Record<Caller, string> = {
    admin: 'admin',
    broker: brokerA.email,
    otherBroker: brokerB.email,
    customer: alice.email,
    otherCustomer: other.email,
    none: '',
    expired: '',
    foreign: '',
  }
  const ownPassword = (c: Caller) => (c === 'admin' ? 'admin' : c.endsWith('roker') ? PASSWORDS.broker : PASSWORDS.customer)
  const login = (c: Caller) => p.login(emails[c], ownPassword(c))
  const tokens = new Map<Caller, string>()
  for (const c of SIGNED_IN) tokens.set(c, await login(c))

  // An expired token of the gateway's own key, and a current one of another key under the same kid.
  const { rows } = await p.db('gateway').query<{ kid: string; private_jwk: JWK }>('SELECT kid, private_jwk FROM signing_keys')
  const gatewayKey = (await importJWK(rows[0]!.private_jwk, 'ES256')) as CryptoKey
  const now = Math.floor(Date.now() / 1000)
  const aliceToken = tokens.get('customer')!
  tokens.set('expired', await resign(aliceToken, gatewayKey, rows[0]!.kid, { iat: now - 7200, exp: now - 3600 }))
  const { privateKey: foreignKey } = await generateKeyPair('ES256')
  tokens.set('foreign', await resign(aliceToken, foreignKey, rows[0]!.kid, { iat: now, exp: now + 600 }))

  await deposit(p, admin, alice.id, 1_000_000)
  const restingOrder = async () => {
    const res = await p.api('POST', '/api/orders', {
      token: admin,
      body: { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 1 },
      headers: { prefer: 'wait=10' },
    })
    assert.equal(res.body.status, 'CONFIRMED', JSON.stringify(res.body))
    return res.body.id as string
  }
  const ctx: MatrixContext = {
    customerId: alice.id,
    customerEmail: alice.email,
    customerPassword: alice.password,
    brokerId: brokerA.id,
    orderId: await restingOrder(),
    freshOrder: restingOrder,
    async freshRefreshToken() {
      const res = await p.api('POST', '/api/auth/login', { body: { username: alice.email, password: alice.password } })
      return res.body.refresh_token
    },
    async freshPushSubscription() {
      const res = await p.api('POST', '/api/notifications/push-subscriptions', {
        token: admin,
        body: {
          customerId: alice.id,
          endpoint: `https://push.example/${randomUUID()}`,
          keys: { p256dh: 'a'.repeat(87), auth: 'b'.repeat(22) },
        },
      })
      assert.equal(res.status, 201, JSON.stringify(res.body))
      return res.body.id
    },
    unique: () => `m-${randomUUID().slice(0, 12)}`,
    ownPassword,
  }

  const routes = documentedRoutes(await openApiDocument(p.url))
  assert.deepEqual(
    routes.filter((r) => !MATRIX[r]),
    [],
    'every route of the OpenAPI document has a row in tests/e2e/authz-matrix.ts',
  )
  assert.deepEqual(
    Object.keys(MATRIX).filter((r) => !routes.includes(r)),
    [],
    'every row of the matrix is a documented route',
  )

  const wrong: string[] = []
  for (const route of routes) {
    const row = MATRIX[route]!
    const method = route.slice(0, route.indexOf(' '))
    for (const caller of CALLERS) {
      const req = await row.request(ctx, caller)
      const token =
        caller === 'none'
          ? undefined
          : row.freshSession && tokens.has(caller) && !['expired', 'foreign'].includes(caller)
            ? await login(caller)
            : tokens.get(caller)
      const headers: Record<string, string> = { ...req.headers }
      if (token) headers.authorization = `Bearer ${token}`
      if (req.body !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(p.apiUrl(req.path), {
        method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
      })
      const text = await res.text()
      if (res.status !== row.expect[caller])
        wrong.push(`${route} as ${caller}: ${res.status}, the matrix says ${row.expect[caller]} (${text.slice(0, 160)})`)
    }
    // A password change ends every session of the account, not only the one that asked.
    if (row.freshSession) for (const c of SIGNED_IN) tokens.set(c, await login(c))
  }
  assert.deepEqual(wrong, [], 'statuses that differ from the matrix')
})
