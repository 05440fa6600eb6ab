import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorOf, ids, startGateway } from './support.js'

test('when a STANDARD customer exceeds 100 requests a minute, then 429 with Retry-After, and after that many seconds it is served again', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const url = `/api/customers/${ids.c1}`
  for (let i = 1; i <= 100; i++) {
    const res = await gw.request('GET', url, { token: c1 })
    assert.equal(res.statusCode, 200, `request ${i}`)
    assert.equal(res.headers['x-ratelimit-limit'], '100')
    assert.equal(res.headers['x-ratelimit-remaining'], String(100 - i))
  }
  const refused = await gw.request('GET', url, { token: c1 })
  assert.equal(refused.statusCode, 429)
  assert.equal(errorOf(refused).code, 'RATE_LIMITED')
  assert.equal(refused.headers['x-ratelimit-remaining'], '0')
  const retryAfter = Number(refused.headers['retry-after'])
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)

  // Other principals have their own budget.
  const { c2 } = await gw.tokens()
  assert.equal((await gw.request('GET', `/api/customers/${ids.c2}`, { token: c2 })).statusCode, 200)

  gw.clock.advance(retryAfter * 1000)
  const again = await gw.request('GET', url, { token: c1 })
  assert.equal(again.statusCode, 200)
  assert.equal((await gw.request('GET', url, { token: c1 })).statusCode, 429, 'one token refilled, one spent')

  // A whole minute refills the whole bucket.
  gw.clock.advance(60_000)
  const full = await gw.request('GET', url, { token: c1 })
  assert.equal(full.headers['x-ratelimit-remaining'], '99')
})

test('when the tier is PREMIUM or VIP, or the caller is staff, then the limit follows (500, 1000, 1000) and a tier change applies within seconds', async (t) => {
  const gw = await startGateway(t, { gateway: { tierCacheMs: 5_000 } })
  const { admin, b1, c1 } = await gw.tokens()
  const limitOf = async (token: string) => (await gw.request('GET', '/api/markets', { token })).headers['x-ratelimit-limit']

  assert.equal(await limitOf(admin), '1000')
  assert.equal(await limitOf(b1), '1000')
  assert.equal(await limitOf(c1), '100')

  // Changed through this gateway: applies at once.
  await gw.request('PUT', `/api/customers/${ids.c1}/tier`, { token: admin, body: { tier: 'VIP' } })
  assert.equal(await limitOf(c1), '1000')

  // Changed elsewhere: applies once the cached tier is older than a few seconds.
  gw.world.customers.get(ids.c1)!.tier = 'PREMIUM'
  assert.equal(await limitOf(c1), '1000')
  gw.clock.advance(5_000)
  assert.equal(await limitOf(c1), '500')
})

test('when the limit is hit, then even bad or unauthenticated requests count, and anonymous callers are limited per address', async (t) => {
  const gw = await startGateway(t)
  // A different account each time: the per-account throttle stays out of it.
  for (let i = 0; i < 100; i++) {
    const res = await gw.request('POST', '/api/auth/login', { body: { username: `user-${i}@example.com`, password: `guess-${i}` } })
    assert.equal(res.statusCode, 401)
  }
  const res = await gw.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })
  assert.equal(res.statusCode, 429)
  assert.ok(Number(res.headers['retry-after']) >= 1)
  assert.equal(errorOf(res).code, 'RATE_LIMITED')
  gw.clock.advance(1_000)
  assert.equal((await gw.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })).statusCode, 200)
})
