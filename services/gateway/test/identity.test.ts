import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { createWorld, errorOf, ids, PASSWORD, startGateway, startStubServices, allServices } from './support.js'

test('when the dev admin signs in, then a Bearer JWT with the configured claims answers and opens admin routes', async (t) => {
  const gw = await startGateway(t)
  const res = await gw.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })
  assert.equal(res.statusCode, 200)
  assert.equal(res.headers['cache-control'], 'no-store')
  const body = res.json()
  assert.equal(body.token_type, 'Bearer')
  assert.equal(body.expires_in, 900, 'access tokens live 15 minutes')
  const claims = decodeJwt(body.access_token)
  assert.equal(claims.iss, gw.gw.issuerUrl())
  assert.equal(claims.aud, 'brokerage-api')
  assert.equal(claims.sub, 'admin')
  assert.equal(claims['role'], 'ADMIN')
  assert.equal(claims.exp! - claims.iat!, 900)
  assert.match(String(claims['sid']), /^[0-9a-f-]{36}$/, 'the token names its session')
  assert.equal(claims.iat, Math.floor(gw.clock.now() / 1000))
  assert.equal(decodeProtectedHeader(body.access_token).alg, 'ES256')
  // The admin never touches the identity service.
  assert.equal(gw.world.requests('Authenticate').length, 0)

  const brokers = await gw.request('GET', '/api/brokers', { token: body.access_token })
  assert.equal(brokers.statusCode, 200)
  assert.equal(brokers.json().totalElements, 2)
})

test('when a customer or broker signs in with their email, then Authenticate checks it and the token names them', async (t) => {
  const gw = await startGateway(t)
  const customer = await gw.request('POST', '/api/auth/login', { body: { username: 'ada@example.com', password: PASSWORD } })
  assert.equal(customer.statusCode, 200)
  assert.deepEqual(gw.world.requests('Authenticate'), [{ username: 'ada@example.com', password: PASSWORD }])
  const c = decodeJwt(customer.json().access_token)
  assert.equal(c['role'], 'CUSTOMER')
  assert.equal(c.sub, ids.c1)
  assert.equal(c['customer_id'], ids.c1)
  assert.equal(c['broker_id'], undefined)

  const broker = await gw.request('POST', '/api/auth/login', { body: { username: 'b1@example.com', password: PASSWORD } })
  const b = decodeJwt(broker.json().access_token)
  assert.equal(b['role'], 'BROKER')
  assert.equal(b['broker_id'], ids.broker1)

  const me = await gw.request('GET', '/api/auth/me', { token: customer.json().access_token })
  assert.deepEqual(me.json(), { subject: ids.c1, role: 'CUSTOMER', customerId: ids.c1, brokerId: null })
})

test('when the password is wrong or the user unknown, then 401 answers with one and the same message', async (t) => {
  const gw = await startGateway(t)
  const attempts = [
    { username: 'admin', password: 'nope' },
    { username: 'admin', password: 'admin ' },
    { username: 'ada@example.com', password: 'wrong password' },
    { username: 'nobody@example.com', password: PASSWORD },
  ]
  const messages = new Set<string>()
  for (const body of attempts) {
    const res = await gw.request('POST', '/api/auth/login', { body })
    assert.equal(res.statusCode, 401, JSON.stringify(body))
    const error = errorOf(res)
    assert.equal(error.code, 'UNAUTHENTICATED')
    messages.add(error.message)
  }
  assert.deepEqual([...messages], ['Invalid username or password'])
})

test('when the JWKS and the discovery document are fetched, then they name the issuer and verify its tokens', async (t) => {
  const gw = await startGateway(t)
  const discovery = await gw.request('GET', '/.well-known/openid-configuration')
  assert.equal(discovery.statusCode, 200)
  const doc = discovery.json()
  assert.equal(doc.issuer, gw.gw.issuerUrl())
  assert.equal(doc.jwks_uri, `${gw.gw.issuerUrl()}/.well-known/jwks.json`)
  assert.deepEqual(doc.id_token_signing_alg_values_supported, ['ES256'])

  const jwks = await gw.request('GET', new URL(doc.jwks_uri).pathname)
  assert.equal(jwks.statusCode, 200)
  const keys = jwks.json().keys
  assert.equal(keys.length, 1)
  assert.equal(keys[0].kty, 'EC')
  assert.equal(keys[0].d, undefined, 'no private part is published')

  const token = await gw.login('admin', 'admin')
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.json()), {
    issuer: doc.issuer,
    audience: 'brokerage-api',
    currentDate: new Date(gw.clock.now()),
  })
  assert.equal(payload['role'], 'ADMIN')
})

test('when a second gateway starts on the same database, then it signs with the same stored key and accepts the first one’s tokens', async (t) => {
  const world = createWorld()
  const services = allServices(await startStubServices(t, world))
  const publicUrl = 'http://gateway.test'
  const first = await startGateway(t, { world, services, gateway: { publicUrl } })
  const second = await startGateway(t, { world, services, gateway: { publicUrl }, databaseUrl: first.databaseUrl })
  const token = await first.login('admin', 'admin')
  const res = await second.request('GET', '/api/markets', { token })
  assert.equal(res.statusCode, 200)
  const [a, b] = await Promise.all([first, second].map(async (g) => (await g.request('GET', '/.well-known/jwks.json')).json()))
  assert.deepEqual(a, b)
})

test('when the token is missing, malformed, tampered, expired or from an untrusted issuer, then 401 in the error shape', async (t) => {
  const gw = await startGateway(t)
  const good = await gw.login('ada@example.com')
  const [header, payload, signature] = good.split('.') as [string, string, string]
  const claims = decodeJwt(good)

  // Same claims, promoted to ADMIN, keeping the original signature.
  const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'ADMIN' })).toString('base64url')
  // A well-formed token with the gateway's issuer, signed by a key the gateway never published.
  const stranger = await generateKeyPair('ES256')
  const untrusted = await new SignJWT({ role: 'ADMIN' })
    .setProtectedHeader({ alg: 'ES256', kid: (await exportJWK(stranger.publicKey)).x! })
    .setIssuer(String(claims.iss))
    .setAudience('brokerage-api')
    .setSubject('mallory')
    .setIssuedAt(Math.floor(gw.clock.now() / 1000))
    .setExpirationTime(Math.floor(gw.clock.now() / 1000) + 600)
    .sign(stranger.privateKey)

  const cases: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['not bearer', { authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` }],
    ['malformed', { authorization: 'Bearer not-a-jwt' }],
    ['tampered payload', { authorization: `Bearer ${header}.${forgedPayload}.${signature}` }],
    ['tampered signature', { authorization: `Bearer ${header}.${payload}.${signature.slice(0, -4)}AAAA` }],
    ['untrusted issuer', { authorization: `Bearer ${untrusted}` }],
    ['alg none', { authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.` }],
  ]
  for (const [name, headers] of cases) {
    const res = await gw.request('GET', `/api/customers/${ids.c1}`, { headers })
    assert.equal(res.statusCode, 401, name)
    assert.equal(errorOf(res).code, 'UNAUTHENTICATED', name)
    assert.match(String(res.headers['www-authenticate']), /^Bearer/, name)
  }

  assert.equal((await gw.request('GET', `/api/customers/${ids.c1}`, { token: good })).statusCode, 200)
  gw.clock.advance(3600 * 1000 + 10_000)
  const expired = await gw.request('GET', `/api/customers/${ids.c1}`, { token: good })
  assert.equal(expired.statusCode, 401)
  assert.deepEqual(errorOf(expired), { code: 'UNAUTHENTICATED', message: 'Token expired' })
})

test('when the customer service is not configured, then customer sign-in answers 503 and the admin still signs in', async (t) => {
  const gw = await startGateway(t, { services: {} })
  const res = await gw.request('POST', '/api/auth/login', { body: { username: 'ada@example.com', password: PASSWORD } })
  assert.equal(res.statusCode, 503)
  assert.equal(errorOf(res).code, 'UNAVAILABLE')
  const admin = await gw.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })
  assert.equal(admin.statusCode, 200)
})
