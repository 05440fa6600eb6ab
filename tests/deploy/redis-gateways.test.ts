// Two gateway processes share one Redis (REDIS_URL, a real redis-server): a customer's tier
// limit holds across both, and an idempotent request is replayed by either. And while Redis is
// away, the gateway stays ready (it says Redis is unavailable) and refuses idempotent requests with a 503 to retry.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { Redis } from 'ioredis'
import { eventually, freePort } from '@brokerage/platform/testing'
import { startService, stopServices } from '../../scripts/platform.js'
import { startPlatform, type Platform } from '../e2e/harness.js'
import { createCustomer } from '../e2e/helpers.js'

/** A real redis-server on a port of its own, which a test may stop and start again on that port. */
async function startRedis(t: { after(fn: () => Promise<void>): void }) {
  const port = await freePort()
  const url = `redis://127.0.0.1:${port}`
  let stop = async () => {}
  const start = async () => {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    })
    const exited = new Promise((r) => server.once('exit', r))
    stop = async () => {
      server.kill('SIGTERM')
      await exited
    }
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    client.on('error', () => {})
    await eventually(async () => (await client.connect().then(() => client.ping())) === 'PONG', { what: 'redis-server up' })
    await client.quit()
  }
  await start()
  t.after(() => stop())
  return { url, start, stop: () => stop() }
}

async function twoGateways(t: Parameters<typeof startPlatform>[0]) {
  const redisUrl = (await startRedis(t)).url
  // One issuer URL for both, as behind one load balancer: each accepts the other's tokens.
  const p = await startPlatform(t, { serviceEnv: { gateway: { REDIS_URL: redisUrl, PUBLIC_URL: 'http://gateways.test' } } })
  const first = p.services.find((s) => s.spec.name === 'gateway')!
  const second = await startService(
    first.spec,
    { ...first.env, HTTP_PORT: String(await freePort()), OPS_PORT: String(await freePort()) },
    { logDir: p.logDir },
  )
  t.after(() => stopServices([second]))
  const redis = new Redis(redisUrl)
  redis.on('error', () => {}) // redis-server stops before this client in teardown
  t.after(async () => void (await redis.quit()))
  return { p, redis, urls: [first.httpUrl, second.httpUrl] }
}

async function call(
  url: string,
  method: string,
  path: string,
  token: string,
  init: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

async function customerToken(p: Platform) {
  const admin = await p.login('admin', 'admin')
  const customer = await createCustomer(p, admin, { password: 'correct horse battery' })
  return { admin, customer, token: await p.login(customer.email, 'correct horse battery') }
}

test('when a STANDARD customer calls two gateways sharing Redis, then together they allow 100 requests a minute, not 100 each', async (t) => {
  const { p, urls } = await twoGateways(t)
  const { token } = await customerToken(p)
  const started = Date.now()
  const served = urls.map(() => ({ ok: 0, limited: 0 }))
  // Alternating, until each gateway has refused at least once.
  for (let i = 0; i < 300 && served.some((s) => s.limited === 0); i++) {
    const res = await call(urls[i % 2]!, 'GET', '/api/auth/me', token)
    assert.ok(res.status === 200 || res.status === 429, `${res.status} ${res.text}`)
    if (res.status === 200) served[i % 2]!.ok++
    else {
      served[i % 2]!.limited++
      assert.equal(JSON.parse(res.text).error.code, 'RATE_LIMITED')
      assert.ok(Number(res.headers.get('retry-after')) >= 1)
    }
  }
  const allowed = served[0]!.ok + served[1]!.ok
  // The bucket refills continuously (100 a minute), so a little more than 100 pass while the loop runs.
  const refilled = Math.ceil(((Date.now() - started) / 60_000) * 100)
  assert.ok(allowed >= 100 && allowed <= 100 + refilled + 1, `allowed ${allowed} (refill ${refilled}): ${JSON.stringify(served)}`)
  assert.ok(
    served.every((s) => s.ok > 0 && s.limited > 0),
    JSON.stringify(served),
  )
})

test('when an idempotent request is retried on the other gateway, then it is replayed from Redis, not run again', async (t) => {
  const { p, redis, urls } = await twoGateways(t)
  const { admin, customer } = await customerToken(p)
  const body = { amount: 12_345 }
  const headers = { 'idempotency-key': 'deposit-across-gateways' }
  const first = await call(urls[0]!, 'POST', `/api/customers/${customer.id}/deposits`, admin, { body, headers })
  assert.equal(first.status, 202, first.text)
  for (const url of [urls[1]!, urls[0]!]) {
    const again = await call(url, 'POST', `/api/customers/${customer.id}/deposits`, admin, { body, headers })
    assert.equal(again.status, 202)
    assert.equal(again.headers.get('idempotent-replayed'), 'true')
    assert.equal(again.text, first.text)
  }
  const other = await call(urls[1]!, 'POST', `/api/customers/${customer.id}/deposits`, admin, { body: { amount: 1 }, headers })
  assert.equal(other.status, 422, other.text)
  assert.equal(JSON.parse(other.text).error.code, 'IDEMPOTENCY_KEY_REUSED')
  // The key lives in Redis (with its 24 h expiry), not in the gateway's database.
  const keys = await redis.keys('brokerage:idempotency:*')
  assert.equal(keys.length, 1)
  assert.ok((await redis.pttl(keys[0]!)) > 23 * 3600 * 1000)
  const { rows } = await p.db('gateway').query('SELECT count(*)::int AS n FROM idempotency_keys')
  assert.equal(rows[0].n, 0)
  // One deposit movement, however many times it was asked.
  const movements = await p.db('customer').query('SELECT count(*)::int AS n FROM movements WHERE customer_id = $1', [customer.id])
  assert.equal(movements.rows[0].n, 1)
})

test('when Redis stops, then the gateway stays ready and says Redis is unavailable, an idempotent request is told 503 with Retry-After and others are served; when it returns, both recover', async (t) => {
  const redis = await startRedis(t)
  const p = await startPlatform(t, { serviceEnv: { gateway: { REDIS_URL: redis.url } } })
  const gateway = p.services.find((s) => s.spec.name === 'gateway')!
  const ready = async () => {
    const res = await fetch(`${gateway.opsUrl}/health/ready`)
    const body = (await res.json()) as { checks: Record<string, string>; redis: string }
    return { status: res.status, checks: body.checks, redis: body.redis }
  }
  assert.deepEqual(await ready(), { status: 200, checks: { db: 'ok', broker: 'ok' }, redis: 'ok' })
  const { admin, customer } = await customerToken(p)
  const deposit = () =>
    call(gateway.httpUrl, 'POST', `/api/customers/${customer.id}/deposits`, admin, {
      body: { amount: 500 },
      headers: { 'idempotency-key': 'deposit-while-redis-is-away' },
    })

  await redis.stop()
  const down = await eventually(async () => (await ready()).redis !== 'ok' && (await ready()), {
    what: 'readiness naming Redis unavailable',
  })
  assert.match(down.redis, /^unavailable/)
  assert.equal(down.status, 200, 'one shared dependency away does not take every gateway out of service')
  assert.deepEqual(down.checks, { db: 'ok', broker: 'ok' })
  const served = await call(gateway.httpUrl, 'GET', `/api/customers/${customer.id}`, admin)
  assert.equal(served.status, 200, served.text)
  const refused = await deposit()
  assert.equal(refused.status, 503, refused.text)
  assert.equal(JSON.parse(refused.text).error.code, 'UNAVAILABLE')
  assert.ok(Number(refused.headers.get('retry-after')) >= 1, `retry-after ${refused.headers.get('retry-after')}`)

  await redis.start()
  await eventually(async () => (await ready()).redis === 'ok', { what: 'readiness naming Redis ok again' })
  const accepted = await deposit()
  assert.equal(accepted.status, 202, accepted.text)
  assert.equal(accepted.headers.get('idempotent-replayed'), null, 'the refused request ran nothing and stored nothing')
  // The refused request ran nothing: one deposit movement, the retried one.
  const { rows } = await p.db('customer').query('SELECT count(*)::int AS n FROM movements WHERE customer_id = $1', [customer.id])
  assert.equal(rows[0].n, 1)
})
