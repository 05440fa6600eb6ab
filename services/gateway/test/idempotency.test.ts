import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AppError, createDb } from '@brokerage/platform'
import { createCollector } from '@brokerage/platform/testing'
import { errorOf, ids, startGateway, type TestGateway } from './support.js'

const order = { customerId: ids.c1, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 }

async function storedKeys(gw: TestGateway) {
  const db = createDb({ url: gw.databaseUrl, max: 1 })
  try {
    const { rows } = await db.query<{ principal: string; key: string; status_code: number | null }>(
      'SELECT principal, key, status_code FROM idempotency_keys ORDER BY principal, key',
    )
    return rows
  } finally {
    await db.close()
  }
}

test('when a POST is retried with the same Idempotency-Key and body, then the stored response is replayed and the service runs once', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const headers = { 'idempotency-key': 'order-2025-01-31-001' }
  const first = await gw.request('POST', '/api/orders', { token: c1, body: order, headers })
  assert.equal(first.statusCode, 202)
  assert.equal(first.headers['idempotent-replayed'], undefined)

  // Same fields in another order: the same request.
  const reordered = { price: 15_000, size: 10, side: 'BUY', assetName: 'AAPL', customerId: ids.c1 }
  const retry = await gw.request('POST', '/api/orders', { token: c1, body: reordered, headers })
  assert.equal(retry.statusCode, 202)
  assert.equal(retry.headers['idempotent-replayed'], 'true')
  assert.equal(retry.body, first.body)
  assert.match(String(retry.headers['content-type']), /^application\/json/)

  const calls = gw.world.requests('CreateOrder')
  assert.equal(calls.length, 1)
  // The service gets a key too, derived from principal and client key (never the raw key).
  const downstream = String(calls[0]!['idempotency_key'])
  assert.match(downstream, /^[A-Za-z0-9_-]{43}$/)
  assert.notEqual(downstream, headers['idempotency-key'])
  assert.deepEqual(await storedKeys(gw), [{ principal: `CUSTOMER:${ids.c1}`, key: 'order-2025-01-31-001', status_code: 202 }])
})

test('when the same key comes with a different body, then 422 IDEMPOTENCY_KEY_REUSED and nothing runs again', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const headers = { 'idempotency-key': 'k-1' }
  assert.equal((await gw.request('POST', '/api/orders', { token: c1, body: order, headers })).statusCode, 202)
  const other = await gw.request('POST', '/api/orders', { token: c1, body: { ...order, size: 11 }, headers })
  assert.equal(other.statusCode, 422)
  assert.equal(errorOf(other).code, 'IDEMPOTENCY_KEY_REUSED')
  // Another route with the same key is another request too.
  const deposit = await gw.request('POST', `/api/customers/${ids.c1}/deposits`, { token: c1, body: { amount: 5 }, headers })
  assert.equal(deposit.statusCode, 422)
  assert.equal(gw.world.requests('CreateOrder').length, 1)
  assert.equal(gw.world.requests('RequestDeposit').length, 0)
})

test('when a retry arrives while the first request is still running, then 409 IDEMPOTENCY_IN_FLIGHT, and after it finishes the retry replays', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const entered = createCollector<string>()
  let release!: () => void
  const gate = new Promise<void>((resolve) => (release = resolve))
  gw.world.override('order', 'CreateOrder', async (r, ctx) => {
    entered.push(r.customer_id)
    await gate
    return gw.world.services.order.CreateOrder(r, ctx)
  })
  const headers = { 'idempotency-key': 'slow-one' }
  const first = gw.request('POST', '/api/orders', { token: c1, body: order, headers })
  await entered.until((items) => items.length === 1)

  const during = await gw.request('POST', '/api/orders', { token: c1, body: order, headers })
  assert.equal(during.statusCode, 409)
  assert.equal(errorOf(during).code, 'IDEMPOTENCY_IN_FLIGHT')
  assert.equal(during.headers['retry-after'], '1')

  release()
  const done = await first
  assert.equal(done.statusCode, 202)
  const after = await gw.request('POST', '/api/orders', { token: c1, body: order, headers })
  assert.equal(after.headers['idempotent-replayed'], 'true')
  assert.equal(after.body, done.body)
  assert.equal(entered.items.length, 1)
})

test('when a retry of /api/orders goes to /api/v1/orders with the same key, then it is the same request: replayed, and the service runs once', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const headers = { 'idempotency-key': 'across-the-alias' }
  const first = await gw.request('POST', '/api/orders', { token: c1, body: order, headers })
  assert.equal(first.statusCode, 202)
  const retry = await gw.request('POST', '/api/v1/orders', { token: c1, body: order, headers })
  assert.equal(retry.statusCode, 202, retry.body)
  assert.equal(retry.headers['idempotent-replayed'], 'true')
  assert.equal(retry.body, first.body)
  // And the other way round, on another route.
  const deposit = { token: c1, body: { amount: 5 }, headers: { 'idempotency-key': 'deposit-across' } }
  assert.equal((await gw.request('POST', `/api/v1/customers/${ids.c1}/deposits`, deposit)).statusCode, 202)
  const again = await gw.request('POST', `/api/customers/${ids.c1}/deposits`, deposit)
  assert.equal(again.headers['idempotent-replayed'], 'true', again.body)
  assert.equal(gw.world.requests('CreateOrder').length, 1)
  assert.equal(gw.world.requests('RequestDeposit').length, 1)
})

test('when two principals use the same key, then each request runs on its own', async (t) => {
  const gw = await startGateway(t)
  const { c1, admin, b1 } = await gw.tokens()
  const headers = { 'idempotency-key': 'shared-key' }
  const responses = []
  for (const token of [c1, admin, b1]) {
    const res = await gw.request('POST', '/api/orders', { token, body: order, headers })
    assert.equal(res.statusCode, 202)
    assert.equal(res.headers['idempotent-replayed'], undefined)
    responses.push(res.json().id)
  }
  assert.equal(new Set(responses).size, 3)
  const keys = gw.world.requests('CreateOrder').map((r) => r['idempotency_key'])
  assert.equal(new Set(keys).size, 3, 'the services cannot confuse them either')
  assert.equal((await storedKeys(gw)).length, 3)
})

test('when the first attempt fails on the server side, then nothing is stored and a retry with the key runs again', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  let failures = 1
  gw.world.override('customer', 'RequestDeposit', async (r, ctx) => {
    if (failures-- > 0) throw new AppError('UNAVAILABLE', 'asset ledger busy', { retryAfterSeconds: 1 })
    return gw.world.services.customer.RequestDeposit(r, ctx)
  })
  const headers = { 'idempotency-key': 'dep-1' }
  const url = `/api/customers/${ids.c1}/deposits`
  const failed = await gw.request('POST', url, { token: c1, body: { amount: 500 }, headers })
  assert.equal(failed.statusCode, 503)
  assert.equal(errorOf(failed).code, 'UNAVAILABLE')
  assert.deepEqual(await storedKeys(gw), [])
  const retried = await gw.request('POST', url, { token: c1, body: { amount: 500 }, headers })
  assert.equal(retried.statusCode, 202)
  assert.equal(retried.headers['idempotent-replayed'], undefined)
  assert.equal(gw.world.requests('RequestDeposit').length, 2)
  // Refusals (4xx) are answers, and are replayed like successes.
  const refused = await gw.request('POST', `/api/customers/${ids.c2}/deposits`, {
    token: c1,
    body: { amount: 500 },
    headers: { 'idempotency-key': 'dep-2' },
  })
  assert.equal(refused.statusCode, 404)
  const again = await gw.request('POST', `/api/customers/${ids.c2}/deposits`, {
    token: c1,
    body: { amount: 500 },
    headers: { 'idempotency-key': 'dep-2' },
  })
  assert.equal(again.statusCode, 404)
  assert.equal(again.headers['idempotent-replayed'], 'true')
})

test('when a key is older than 24 hours, then it is purged and may be used for a new request', async (t) => {
  // Tokens that outlive the two simulated days.
  const gw = await startGateway(t, { gateway: { tokenTtlSeconds: 3 * 86_400 } })
  const { c1 } = await gw.tokens()
  const headers = { 'idempotency-key': 'yesterday' }
  assert.equal((await gw.request('POST', '/api/orders', { token: c1, body: order, headers })).statusCode, 202)
  gw.clock.advance(23 * 3600 * 1000)
  assert.equal(await gw.gw.idempotency.purgeExpired(), 0)
  assert.equal((await gw.request('POST', '/api/orders', { token: c1, body: { ...order, size: 2 }, headers })).statusCode, 422)

  gw.clock.advance(3600 * 1000)
  const fresh = await gw.request('POST', '/api/orders', { token: c1, body: { ...order, size: 2 }, headers })
  assert.equal(fresh.statusCode, 202)
  assert.equal(fresh.headers['idempotent-replayed'], undefined)
  gw.clock.advance(24 * 3600 * 1000)
  assert.equal(await gw.gw.idempotency.purgeExpired(), 1)
  assert.deepEqual(await storedKeys(gw), [])
})

test('when a POST carries no Idempotency-Key, then every attempt runs and nothing is stored', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  for (let i = 0; i < 2; i++) assert.equal((await gw.request('POST', '/api/orders', { token: c1, body: order })).statusCode, 202)
  assert.equal(gw.world.requests('CreateOrder').length, 2)
  assert.deepEqual(
    gw.world.requests('CreateOrder').map((r) => r['idempotency_key']),
    ['', ''],
  )
  assert.deepEqual(await storedKeys(gw), [])
})
