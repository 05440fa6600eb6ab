import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import { freePort } from '@brokerage/platform/testing'
import { startIdentityProvider } from './identity-provider.js'
import { createWorld, allServices, errorOf, ids, startGateway, startStubServices } from './support.js'

const actorOf = (request: Record<string, unknown>) => request['actor'] as { subject: string }

// The claims each test client's tokens carry: a plain `role` claim, or Keycloak's realm roles.
const CLIENTS: Record<string, Record<string, unknown>> = {
  'admin-app': { role: 'ADMIN' },
  'ada-app': { realm_access: { roles: ['offline_access', 'customer'] }, customer_id: ids.c1 },
  'broker-app': { role: 'broker', broker_id: ids.broker1 },
  'roleless-app': { realm_access: { roles: ['offline_access'] } },
}

const startProvider = (t: TestContext) => startIdentityProvider(t, CLIENTS)

test('when an external OIDC provider is configured, then its JWT access tokens are verified by discovery and JWKS and their roles apply', async (t) => {
  const idp = await startProvider(t)
  const gw = await startGateway(t, { gateway: { oidcIssuerUrl: idp.issuer } })

  const adminToken = await idp.token('admin-app')
  assert.equal(decodeProtectedHeader(adminToken).typ, 'at+jwt')
  assert.equal(decodeJwt(adminToken).iss, idp.issuer)
  const list = await gw.request('GET', '/api/customers', { token: adminToken })
  assert.equal(list.statusCode, 200)
  assert.equal(list.json().totalElements, 3)
  assert.equal(gw.world.requests('ListCustomers')[0]!['broker_id'], '')

  // Keycloak-style realm roles and a customer_id claim: the customer sees only their own data.
  const adaToken = await idp.token('ada-app')
  assert.equal((await gw.request('GET', `/api/customers/${ids.c1}`, { token: adaToken })).statusCode, 200)
  const other = await gw.request('GET', `/api/customers/${ids.c2}`, { token: adaToken })
  assert.equal(other.statusCode, 404)
  const me = await gw.request('GET', '/api/auth/me', { token: adaToken })
  assert.deepEqual(me.json(), { subject: 'ada-app', role: 'CUSTOMER', customerId: ids.c1, brokerId: null })
  const refused = await gw.request('PUT', `/api/customers/${ids.c1}/tier`, { token: adaToken, body: { tier: 'VIP' } })
  assert.equal(refused.statusCode, 403)
  // Services know the caller by the customer id, never by the provider's subject.
  const deposit = await gw.request('POST', `/api/customers/${ids.c1}/deposits`, { token: adaToken, body: { amount: 100 } })
  assert.equal(deposit.statusCode, 202)
  assert.equal(actorOf(gw.world.requests('RequestDeposit').at(-1)!).subject, ids.c1)

  const brokerToken = await idp.token('broker-app')
  const orders = await gw.request('GET', '/api/orders', { token: brokerToken })
  assert.equal(orders.statusCode, 200)
  assert.deepEqual(gw.world.requests('ListOrders').at(-1)!['customer_ids'], [ids.c1])
  const created = await gw.request('POST', '/api/customers', {
    token: brokerToken,
    body: { name: 'Dan', email: 'dan@example.com', password: 'long enough' },
  })
  assert.equal(created.statusCode, 201)
  assert.deepEqual([actorOf(gw.world.requests('CreateCustomer').at(-1)!).subject, created.json().brokerId], [ids.broker1, ids.broker1])

  // With an external issuer the built-in one is off entirely.
  const login = await gw.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })
  assert.equal(login.statusCode, 404)
  assert.equal((await gw.request('GET', '/.well-known/jwks.json')).statusCode, 404)
})

test('when a token comes from another issuer, is tampered, expired, missing or has no role, then the external path answers 401', async (t) => {
  const idp = await startProvider(t)
  const stranger = await startProvider(t)
  const gw = await startGateway(t, { gateway: { oidcIssuerUrl: idp.issuer } })
  const good = await idp.token('admin-app')
  const [h, , s] = good.split('.') as [string, string, string]
  const forged = Buffer.from(JSON.stringify({ ...decodeJwt(good), customer_id: randomUUID() })).toString('base64url')

  const cases: Array<[string, string | undefined]> = [
    ['untrusted issuer', await stranger.token('admin-app')],
    ['tampered', `${h}.${forged}.${s}`],
    ['missing', undefined],
    ['no role', await idp.token('roleless-app')],
  ]
  for (const [name, token] of cases) {
    const res = await gw.request('GET', '/api/markets', token === undefined ? {} : { token })
    assert.equal(res.statusCode, 401, name)
    assert.equal(errorOf(res).code, 'UNAUTHENTICATED', name)
  }

  assert.equal((await gw.request('GET', '/api/markets', { token: good })).statusCode, 200)
  // oidc-provider's client-credentials tokens live 10 minutes.
  gw.clock.advance(11 * 60 * 1000)
  const expired = await gw.request('GET', '/api/markets', { token: good })
  assert.equal(expired.statusCode, 401)
  assert.deepEqual(errorOf(expired), { code: 'UNAUTHENTICATED', message: 'Token expired' })
})

test('when the external provider cannot be reached, then requests answer 503 UNAVAILABLE rather than 401', async (t) => {
  const gw = await startGateway(t, { gateway: { oidcIssuerUrl: `http://127.0.0.1:${await freePort()}` } })
  const res = await gw.request('GET', '/api/markets', { token: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln' })
  assert.equal(res.statusCode, 503)
  assert.equal(errorOf(res).code, 'UNAVAILABLE')
})

test('when one gateway names another as its OIDC issuer, then the built-in issuer’s discovery document is enough to trust its tokens', async (t) => {
  const world = createWorld()
  const services = allServices(await startStubServices(t, world))
  const issuing = await startGateway(t, { world, services })
  const trusting = await startGateway(t, { world, services, gateway: { oidcIssuerUrl: issuing.gw.issuerUrl() } })
  const token = await issuing.login('b1@example.com')
  const res = await trusting.request('GET', `/api/customers/${ids.c1}`, { token })
  assert.equal(res.statusCode, 200)
  assert.equal((await trusting.request('GET', `/api/customers/${ids.c2}`, { token })).statusCode, 404)
})
