import assert from 'node:assert/strict'
import { test } from 'node:test'
import { eventually } from '@brokerage/platform/testing'
import { allServices, createWorld, errorOf, ids, PASSWORD, startGateway, startStubServices } from './support.js'

// Sessions of the built-in issuer: short access tokens, rotating refresh tokens with reuse
// detection, and sign-out that holds on every gateway instance sharing the database.

interface Tokens {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token: string
}

test('sessions', async (t) => {
  const world = createWorld()
  const services = allServices(await startStubServices(t, world))
  // Instances behind one load balancer share the public URL (the tokens' issuer) and the database.
  const gateway = { publicUrl: 'http://gateway.test' }
  const a = await startGateway(t, { world, services, gateway })
  const b = await startGateway(t, { world, services, gateway, databaseUrl: a.databaseUrl })

  async function signIn(username = 'ada@example.com', password = PASSWORD): Promise<Tokens> {
    const res = await a.request('POST', '/api/auth/login', { body: { username, password } })
    assert.equal(res.statusCode, 200, res.body)
    return res.json()
  }
  const me = (gw: typeof a, token: string) => gw.request('GET', '/api/auth/me', { token })
  const refresh = (gw: typeof a, refreshToken: string) => gw.request('POST', '/api/auth/refresh', { body: { refresh_token: refreshToken } })

  await t.test('when a customer signs in, then a Bearer access token of at most 15 minutes and a refresh token answer', async () => {
    const tokens = await signIn()
    assert.equal(tokens.token_type, 'Bearer')
    assert.ok(tokens.expires_in > 0 && tokens.expires_in <= 900, String(tokens.expires_in))
    assert.match(tokens.refresh_token, /^[A-Za-z0-9_-]{40,}$/)
    assert.equal((await me(b, tokens.access_token)).statusCode, 200)
  })

  await t.test('when a refresh token is used, then a new pair answers and the new refresh token works next', async () => {
    const first = await signIn()
    const res = await refresh(b, first.refresh_token)
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.headers['cache-control'], 'no-store')
    const second: Tokens = res.json()
    assert.notEqual(second.refresh_token, first.refresh_token)
    assert.equal((await me(a, second.access_token)).json().customerId, (await me(a, first.access_token)).json().customerId)
    assert.equal((await refresh(a, second.refresh_token)).statusCode, 200)
  })

  await t.test('when a used refresh token is presented again, then 401 and its whole session ends on both instances', async () => {
    const first = await signIn()
    const second: Tokens = (await refresh(a, first.refresh_token)).json()
    const reuse = await refresh(b, first.refresh_token)
    assert.equal(reuse.statusCode, 401)
    assert.equal(errorOf(reuse).code, 'UNAUTHENTICATED')
    // The thief's copy and the client's newer tokens are all dead.
    assert.equal((await refresh(a, second.refresh_token)).statusCode, 401)
    assert.equal((await me(b, second.access_token)).statusCode, 401)
    await eventually(async () => (await me(a, second.access_token)).statusCode === 401, { what: 'instance a to learn of the end' })
  })

  await t.test('when a client signs out on one instance, then its access and refresh tokens are 401 on both', async () => {
    const tokens = await signIn()
    // Both instances have verified (and cached) the token before the sign-out.
    assert.equal((await me(a, tokens.access_token)).statusCode, 200)
    assert.equal((await me(b, tokens.access_token)).statusCode, 200)
    const out = await a.request('POST', '/api/auth/logout', { token: tokens.access_token })
    assert.equal(out.statusCode, 204, out.body)
    // The instance that ended it refuses at once; the other as soon as the NOTIFY arrives.
    assert.equal((await me(a, tokens.access_token)).statusCode, 401)
    const started = Date.now()
    await eventually(async () => (await me(b, tokens.access_token)).statusCode === 401, { what: 'instance b to refuse' })
    assert.ok(Date.now() - started < 1000, `instance b refused only after ${Date.now() - started} ms`)
    assert.equal((await refresh(b, tokens.refresh_token)).statusCode, 401)
    // Another session of the same account is untouched.
    assert.equal((await me(b, (await signIn()).access_token)).statusCode, 200)
  })

  await t.test(
    'when two sessions of one account sign out with the same Idempotency-Key, then each sign-out ends its own session',
    async () => {
      // A key is the account's, not the session's: a replay would answer 204 and leave the second session open.
      const headers = { 'idempotency-key': 'sign-out-1' }
      const first = await signIn()
      assert.equal((await a.request('POST', '/api/auth/logout', { token: first.access_token, headers })).statusCode, 204)
      const second = await signIn()
      const out = await a.request('POST', '/api/auth/logout', { token: second.access_token, headers })
      assert.equal(out.statusCode, 204)
      assert.equal(out.headers['idempotent-replayed'], undefined)
      assert.equal((await me(a, second.access_token)).statusCode, 401)
      assert.equal((await refresh(a, second.refresh_token)).statusCode, 401)
    },
  )

  await t.test('when a gateway instance starts after a sign-out, then it refuses the ended session too', async () => {
    const tokens = await signIn('admin', 'admin')
    assert.equal((await a.request('POST', '/api/auth/logout', { token: tokens.access_token })).statusCode, 204)
    const c = await startGateway(t, { world, services, gateway, databaseUrl: a.databaseUrl })
    assert.equal((await me(c, tokens.access_token)).statusCode, 401)
  })

  await t.test('when a refresh token is unknown or malformed, then 401 or 400 and nothing else happens', async () => {
    assert.equal((await refresh(a, 'x'.repeat(43))).statusCode, 401)
    assert.equal((await a.request('POST', '/api/auth/refresh', { body: {} })).statusCode, 400)
  })

  await t.test('when the refresh token has expired, then 401', async () => {
    const tokens = await signIn()
    a.clock.advance(8 * 86_400 * 1000)
    try {
      assert.equal((await refresh(a, tokens.refresh_token)).statusCode, 401)
    } finally {
      a.clock.advance(-8 * 86_400 * 1000)
    }
  })
})

test('sign-in throttling per account', async (t) => {
  const gw = await startGateway(t)
  const login = (username: string, password: string) => gw.request('POST', '/api/auth/login', { body: { username, password } })

  async function failUntilLocked(username: string) {
    for (let i = 0; i < 5; i++) assert.equal((await login(username, 'wrong password')).statusCode, 401)
    return login(username, 'wrong password')
  }

  await t.test(
    'when one account fails five times, then the next attempt is 429 with Retry-After, even with the right password',
    async () => {
      const locked = await failUntilLocked('ada@example.com')
      assert.equal(locked.statusCode, 429)
      assert.equal(errorOf(locked).code, 'RATE_LIMITED')
      const refused = await login('ada@example.com', PASSWORD)
      assert.equal(refused.statusCode, 429)
      assert.ok(Number(refused.headers['retry-after']) >= 1)
    },
  )

  await t.test('when the lock passes and the account fails again, then the next lock is longer', async () => {
    const first = Number((await login('ada@example.com', PASSWORD)).headers['retry-after'])
    gw.clock.advance(first * 1000)
    assert.equal((await login('ada@example.com', 'wrong password')).statusCode, 401)
    const second = await login('ada@example.com', PASSWORD)
    assert.equal(second.statusCode, 429)
    assert.ok(Number(second.headers['retry-after']) > first, `${second.headers['retry-after']} after ${first}`)
  })

  await t.test('when the lock passes and the right password comes, then it signs in and the count starts afresh', async () => {
    gw.clock.advance(3600 * 1000)
    assert.equal((await login('ada@example.com', PASSWORD)).statusCode, 200)
    for (let i = 0; i < 4; i++) assert.equal((await login('ada@example.com', 'wrong password')).statusCode, 401)
    assert.equal((await login('ada@example.com', PASSWORD)).statusCode, 200)
  })

  await t.test('when an unknown account is guessed, then its answers are the same as a known one', async () => {
    const known = await failUntilLocked('bob@example.com')
    const unknown = await failUntilLocked('nobody@example.com')
    assert.equal(unknown.statusCode, known.statusCode)
    assert.equal(unknown.headers['retry-after'], known.headers['retry-after'])
    assert.equal(errorOf(unknown).message, errorOf(known).message)
  })

  await t.test('when another account is locked, then this one still signs in', async () => {
    assert.equal((await login('cem@example.com', PASSWORD)).statusCode, 200)
  })
})

test('when an admin suspends a customer while their sign-in is being checked, then the sign-in is refused and opens no usable session', async (t) => {
  const gw = await startGateway(t)
  const admin = await gw.login('admin', 'admin')
  const ada = ids.c1
  const authenticate = gw.world.services.identity.Authenticate
  gw.world.override('identity', 'Authenticate', async (request, ctx) => {
    // The password proved right while the customer was ACTIVE ...
    const principal = await authenticate(request, ctx)
    // ... and the suspension, ending every session open at that moment, lands before the new one opens.
    const suspended = await gw.request('PUT', `/api/customers/${ada}/status`, { token: admin, body: { status: 'SUSPENDED' } })
    assert.equal(suspended.statusCode, 200, suspended.body)
    return principal
  })
  const res = await gw.request('POST', '/api/auth/login', { body: { username: 'ada@example.com', password: PASSWORD } })
  assert.equal(res.statusCode, 403, res.body)
  assert.equal(errorOf(res).code, 'FORBIDDEN')
  const { rows } = await gw.gw.runtime.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sessions WHERE account = $1 AND ended_at IS NULL',
    [`CUSTOMER:${ada}`],
  )
  assert.equal(rows[0]!.n, 0, 'no open session of the suspended customer')
})
