import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose'
import { isAppError } from '@brokerage/platform'
import { preferredWait } from './routes/orders.js'
import { SIGNING_ALG, type SigningKeys } from './signing-keys.js'
import { cacheVerifiedTokens, createLocalVerifier, createTokenIssuer, principalFromClaims, type TokenVerifier } from './tokens.js'

const CUSTOMER = '0b6f1c1e-8f0a-4d4b-9a53-1f1f7c1b2c3d'

test('when claims carry a role, roles or Keycloak realm roles, then the most privileged brokerage role maps', () => {
  assert.deepEqual(principalFromClaims({ sub: 'a', role: 'ADMIN' }), { subject: 'a', role: 'ADMIN' })
  assert.deepEqual(principalFromClaims({ sub: 'c', realm_access: { roles: ['uma_authorization', 'customer'] }, customer_id: CUSTOMER }), {
    subject: 'c',
    role: 'CUSTOMER',
    customerId: CUSTOMER,
  })
  assert.equal(principalFromClaims({ sub: 'x', roles: ['customer', 'Admin'] }).role, 'ADMIN')
})

test('when the claim names are configured, then roles and ids are read there, by name first and then as a path', () => {
  const names = {
    roles: ['https://brokerage.example/roles', 'resource_access.brokerage.roles'],
    customerId: 'ext.customer',
    brokerId: 'ext.broker',
  }
  assert.deepEqual(
    principalFromClaims({ sub: 'kc-1', resource_access: { brokerage: { roles: ['customer'] } }, ext: { customer: CUSTOMER } }, names),
    {
      subject: 'kc-1',
      role: 'CUSTOMER',
      customerId: CUSTOMER,
    },
  )
  // A namespaced claim whose name holds dots is one claim, not a path.
  assert.deepEqual(principalFromClaims({ sub: 'a0|7', 'https://brokerage.example/roles': ['broker'], 'ext.broker': CUSTOMER }, names), {
    subject: 'a0|7',
    role: 'BROKER',
    brokerId: CUSTOMER,
  })
  // The default names are not read when others are configured.
  assert.throws(() => principalFromClaims({ sub: 'c', role: 'CUSTOMER', customer_id: CUSTOMER }, names), /no brokerage role/)
  assert.throws(
    () => principalFromClaims({ sub: 'c', 'https://brokerage.example/roles': 'customer', customer_id: CUSTOMER }, names),
    /no ext.customer claim/,
  )
})

test('when claims lack a role, a subject, or the id their role needs, then UNAUTHENTICATED', () => {
  for (const claims of [
    { sub: 'a' },
    { role: 'ADMIN' },
    { sub: 'c', role: 'CUSTOMER' },
    { sub: 'c', role: 'CUSTOMER', customer_id: 'not-a-uuid' },
    { sub: 'b', role: 'BROKER', customer_id: CUSTOMER },
  ]) {
    assert.throws(
      () => principalFromClaims(claims),
      (err) => isAppError(err) && err.code === 'UNAUTHENTICATED',
      JSON.stringify(claims),
    )
  }
})

test('when Prefer carries wait=N, then N seconds up to 30; anything else means no wait', () => {
  assert.equal(preferredWait('wait=5'), 5)
  assert.equal(preferredWait('respond-async, wait=10'), 10)
  assert.equal(preferredWait(['handling=lenient', 'Wait="3"']), 3)
  assert.equal(preferredWait('wait=31'), 30)
  for (const h of [undefined, '', 'wait=0', 'wait=-2', 'wait=1.5', 'wait', 'respond-async']) assert.equal(preferredWait(h), 0, String(h))
})

/** The built-in issuer and its verifier on a fresh key and a hand-moved clock, every verification counted. */
async function issuerAndVerifier(cache: { maxEntries?: number; maxAgeMs?: number } = {}) {
  const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALG)
  const jwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(jwk)
  const keys: SigningKeys = { current: { kid, key: privateKey }, jwks: { keys: [{ ...jwk, kid, alg: SIGNING_ALG, use: 'sig' }] } }
  let now = Date.now()
  const clock = () => now
  const opts = { keys, issuer: () => 'http://gateway.test', audience: 'brokerage-api', now: clock }
  const issuer = createTokenIssuer({ ...opts, ttlSeconds: 3600 })
  const local = createLocalVerifier(opts)
  const counted = { verifications: 0 }
  const inner: TokenVerifier = (token) => {
    counted.verifications++
    return local(token)
  }
  const verify = cacheVerifiedTokens(inner, { now: clock, ...cache })
  const token = async (customerId: string = CUSTOMER) =>
    (await issuer.issue({ subject: customerId, role: 'CUSTOMER', customerId }, randomUUID())).access_token
  return { verify, token, counted, advance: (ms: number) => (now += ms) }
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => assert.fail('the token was accepted'),
    (err: unknown) => (isAppError(err) ? { code: err.code, message: err.message } : err),
  )

test('when the same token comes again, then it is not verified again, and a different token is', async () => {
  const v = await issuerAndVerifier()
  const token = await v.token()
  const first = await v.verify(token)
  assert.deepEqual(first, { subject: CUSTOMER, role: 'CUSTOMER', customerId: CUSTOMER, sessionId: first.sessionId })
  assert.match(String(first.sessionId), /^[0-9a-f-]{36}$/)
  assert.deepEqual(await v.verify(token), first)
  assert.deepEqual(await v.verify(token), first)
  assert.equal(v.counted.verifications, 1)

  await v.verify(await v.token(randomUUID()))
  assert.equal(v.counted.verifications, 2)
})

test('when a remembered token has expired, then it is refused as expired, not answered from memory', async () => {
  // Kept far longer than the token lives: only its expiry can end the entry.
  const v = await issuerAndVerifier({ maxAgeMs: 24 * 3600 * 1000 })
  const token = await v.token()
  await v.verify(token)
  v.advance(3600 * 1000 + 10_000)
  assert.deepEqual(await refusal(v.verify(token)), { code: 'UNAUTHENTICATED', message: 'Token expired' })
  assert.deepEqual(await refusal(v.verify(token)), { code: 'UNAUTHENTICATED', message: 'Token expired' })
  assert.equal(v.counted.verifications, 3, 'each refusal came from a real verification')
})

test('when a token was remembered longer than the cache keeps one, then it is verified again', async () => {
  const v = await issuerAndVerifier({ maxAgeMs: 60_000 })
  const token = await v.token()
  await v.verify(token)
  v.advance(59_000)
  await v.verify(token)
  assert.equal(v.counted.verifications, 1)
  v.advance(2_000)
  await v.verify(token)
  assert.equal(v.counted.verifications, 2)
})

test('when more tokens come than the cache holds, then the least recently used one is verified again', async () => {
  const v = await issuerAndVerifier({ maxEntries: 2 })
  const [a, b, c] = await Promise.all([v.token(randomUUID()), v.token(randomUUID()), v.token(randomUUID())])
  await v.verify(a)
  await v.verify(b)
  await v.verify(a) // a is now the most recent
  await v.verify(c) // evicts b
  assert.equal(v.counted.verifications, 3)
  await v.verify(a)
  assert.equal(v.counted.verifications, 3)
  await v.verify(b)
  assert.equal(v.counted.verifications, 4)
})

test('when a token is refused, then the refusal is not remembered and a forged copy is not served from memory', async () => {
  const v = await issuerAndVerifier()
  const token = await v.token()
  await v.verify(token)
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const forged = `${header}.${payload}.${signature.slice(0, -4)}AAAA`
  assert.equal(((await refusal(v.verify(forged))) as { code: string }).code, 'UNAUTHENTICATED')
  assert.equal(((await refusal(v.verify(forged))) as { code: string }).code, 'UNAUTHENTICATED')
  assert.equal(v.counted.verifications, 3)
})
