import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AppError } from '@brokerage/platform'
import { allServices, createWorld, errorOf, ids, startGateway, startStubServices, UUID_RE } from './support.js'

const order = { customerId: ids.c1, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 }

test('when an order is placed, then 202 answers the PENDING order in camelCase with the actor and request id passed on', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const res = await gw.request('POST', '/api/orders', { token: c1, body: order, headers: { 'x-request-id': 'place-1' } })
  assert.equal(res.statusCode, 202)
  assert.equal(res.headers['x-request-id'], 'place-1')
  assert.equal(res.headers['preference-applied'], undefined)
  const body = res.json()
  assert.match(body.id, UUID_RE)
  assert.deepEqual(
    { ...body, id: undefined, createdAt: undefined, updatedAt: undefined },
    {
      id: undefined,
      customerId: ids.c1,
      assetName: 'AAPL',
      side: 'BUY',
      size: 10,
      price: 15_000,
      filledSize: 0,
      status: 'PENDING',
      rejectionReason: null,
      createdAt: undefined,
      updatedAt: undefined,
    },
  )
  const [call] = gw.world.requests('CreateOrder')
  assert.deepEqual(call!['actor'], {
    subject: ids.c1,
    role: 'CUSTOMER',
    request_id: 'place-1',
    traceparent: (call!['actor'] as { traceparent: string }).traceparent,
  })
  assert.match((call!['actor'] as { traceparent: string }).traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
  assert.equal(call!['wait_ms'], 0)
})

test('when Prefer: wait=N is sent, then wait_ms reaches the order service and the settled order answers with Preference-Applied', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  gw.world.override('order', 'CreateOrder', async (r, ctx) => {
    const res = await gw.world.services.order.CreateOrder(r, ctx)
    res.order!.status = r.wait_ms > 0 && r.size > 1 ? 'CONFIRMED' : 'PENDING'
    return res
  })
  const settled = await gw.request('POST', '/api/orders', { token: c1, body: order, headers: { prefer: 'wait=5' } })
  assert.equal(settled.statusCode, 200)
  assert.equal(settled.headers['preference-applied'], 'wait=5')
  assert.equal(settled.json().status, 'CONFIRMED')
  assert.equal(gw.world.requests('CreateOrder')[0]!['wait_ms'], 5000)

  // Still PENDING when the wait ran out: 202, as without the preference.
  const pending = await gw.request('POST', '/api/orders', {
    token: c1,
    body: { ...order, size: 1 },
    headers: { prefer: 'respond-async, wait=2' },
  })
  assert.equal(pending.statusCode, 202)
  assert.equal(pending.headers['preference-applied'], 'wait=2')
  assert.equal(gw.world.requests('CreateOrder')[1]!['wait_ms'], 2000)

  // Above the maximum it is capped; a preference that makes no sense is ignored.
  const capped = await gw.request('POST', '/api/orders', { token: c1, body: order, headers: { prefer: 'wait=600' } })
  assert.equal(capped.headers['preference-applied'], 'wait=30')
  assert.equal(gw.world.requests('CreateOrder')[2]!['wait_ms'], 30_000)
  for (const prefer of ['wait=0', 'wait=-1', 'wait=soon', 'handling=strict']) {
    const res = await gw.request('POST', '/api/orders', { token: c1, body: order, headers: { prefer } })
    assert.equal(res.statusCode, 202, prefer)
    assert.equal(res.headers['preference-applied'], undefined, prefer)
  }
  assert.deepEqual(
    gw.world
      .requests('CreateOrder')
      .slice(3)
      .map((r) => r['wait_ms']),
    [0, 0, 0, 0],
  )
})

test('when an order is read, listed, cancelled, matched and its trades fetched, then each answers in the REST shape', async (t) => {
  const gw = await startGateway(t)
  const { c1, admin } = await gw.tokens()
  const one = await gw.request('GET', `/api/orders/${ids.order1}`, { token: c1 })
  assert.equal(one.statusCode, 200)
  assert.deepEqual(
    one.json().history.map((h: { status: string; eventId: string | null }) => [h.status, h.eventId === null]),
    [
      ['PENDING', true],
      ['CONFIRMED', false],
    ],
  )
  const list = await gw.request('GET', '/api/orders', { token: c1 })
  assert.equal(list.json().content[0].history, undefined, 'lists carry no history')

  const cancel = await gw.request('DELETE', `/api/orders/${ids.order1}`, { token: c1 })
  assert.equal(cancel.statusCode, 202)
  assert.equal(gw.world.requests('CancelOrder')[0]!['id'], ids.order1)
  const match = await gw.request('POST', `/api/orders/${ids.order1}/match`, { token: admin, body: {} })
  assert.equal(match.statusCode, 202)
  const trades = await gw.request('GET', `/api/orders/${ids.order1}/trades`, { token: c1 })
  assert.deepEqual(Object.keys(trades.json()[0]).sort(), ['assetName', 'orderId', 'price', 'settledAt', 'side', 'size', 'tradeId'])

  const book = await gw.request('GET', '/api/orderbook/AAPL?depth=5', { token: c1 })
  assert.deepEqual(book.json().bids, [{ price: 15_000, size: 10, orders: 1 }])
  assert.equal(gw.world.requests('GetOrderBook')[0]!['depth'], 5)
})

test('when a service refuses, then its error code reaches the client unchanged', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  gw.world.orders.get(ids.order1)!.status = 'CANCELED'
  const conflict = await gw.request('DELETE', `/api/orders/${ids.order1}`, { token: admin })
  assert.equal(conflict.statusCode, 409)
  assert.deepEqual(errorOf(conflict), { code: 'CONFLICT', message: 'Order is already canceled' })

  const duplicate = await gw.request('POST', '/api/customers', {
    token: admin,
    body: { name: 'Ada again', email: 'ada@example.com', password: 'long enough' },
  })
  assert.equal(duplicate.statusCode, 409)
  assert.equal(errorOf(duplicate).code, 'ALREADY_EXISTS')

  gw.world.override('order', 'CreateOrder', async () => {
    throw new AppError('VALIDATION_FAILED', 'Request validation failed', { details: [{ field: 'asset_name', message: 'unknown asset' }] })
  })
  const invalid = await gw.request('POST', '/api/orders', { token: admin, body: order })
  assert.equal(invalid.statusCode, 400)
  assert.deepEqual(errorOf(invalid).details, [{ field: 'asset_name', message: 'unknown asset' }])
})

test('when the notification and audit services are not configured, then their routes answer 503 UNAVAILABLE', async (t) => {
  const world = createWorld()
  const { notification: _n, audit: _a, ...services } = allServices(await startStubServices(t, world))
  const gw = await startGateway(t, { world, services })
  const { c1, admin } = await gw.tokens()
  const routes: Array<[string, string, string, unknown?]> = [
    [c1, 'GET', '/api/notifications'],
    [c1, 'GET', '/api/notifications/preferences'],
    [c1, 'PUT', '/api/notifications/preferences', { preferences: [{ eventType: 'OrderMatched', channel: 'SMS', enabled: true }] }],
    [admin, 'GET', `/api/audit/events?customerId=${ids.c1}`],
    [admin, 'GET', `/api/audit/reports/compliance?customerId=${ids.c1}`],
    [admin, 'GET', '/api/audit/analytics'],
  ]
  for (const [token, method, url, body] of routes) {
    const res = await gw.request(method, url, { token, body })
    assert.equal(res.statusCode, 503, `${method} ${url}`)
    assert.equal(errorOf(res).code, 'UNAVAILABLE')
  }
  assert.equal((await gw.request('GET', '/api/markets', { token: c1 })).statusCode, 200)
})

test('when a service address points nowhere, then 503 UNAVAILABLE in the error shape', async (t) => {
  const world = createWorld()
  const services = { ...allServices(await startStubServices(t, world)), processor: '127.0.0.1:1' }
  const gw = await startGateway(t, { world, services })
  const { admin } = await gw.tokens()
  const res = await gw.request('GET', '/api/markets', { token: admin })
  assert.equal(res.statusCode, 503)
  assert.equal(errorOf(res).code, 'UNAVAILABLE')
})

test('when notifications, preferences and the audit trail are read, then they answer in camelCase', async (t) => {
  const gw = await startGateway(t)
  const { c1, admin } = await gw.tokens()
  const notes = await gw.request('GET', '/api/notifications', { token: c1 })
  assert.equal(notes.json().content[0].deliveries[0].lastError, null)
  const prefs = await gw.request('PUT', '/api/notifications/preferences', {
    token: admin,
    body: { customerId: ids.c1, preferences: [{ eventType: 'OrderMatched', channel: 'SMS', enabled: false }] },
  })
  assert.deepEqual(prefs.json(), { customerId: ids.c1, preferences: [{ eventType: 'OrderMatched', channel: 'SMS', enabled: false }] })
  const events = await gw.request('GET', `/api/audit/events?orderId=${ids.order1}`, { token: admin })
  assert.deepEqual(events.json().content[0].data, { orderId: ids.order1, size: 10 })
  assert.equal(events.json().content[0].causationId, null)
  const report = await gw.request(
    'GET',
    `/api/audit/reports/compliance?customerId=${ids.c1}&from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z`,
    { token: admin },
  )
  assert.equal(report.json().chainIntact, true)
  assert.deepEqual(report.json().lines, [])
  assert.deepEqual(gw.world.requests('GetComplianceReport')[0], {
    from: '2025-01-01T00:00:00.000Z',
    to: '2025-02-01T00:00:00.000Z',
    customer_id: ids.c1,
    after_sequence: 0,
    limit: 1000,
  })
})

test('when a request carries X-Request-Id, then every answer echoes it, and one without gets a fresh UUID', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const ok = await gw.request('GET', '/api/markets', { token: c1, headers: { 'x-request-id': 'trace-me-42' } })
  assert.equal(ok.headers['x-request-id'], 'trace-me-42')
  const denied = await gw.request('GET', '/api/markets', { headers: { 'x-request-id': 'trace-me-43' } })
  assert.equal(denied.statusCode, 401)
  assert.equal(denied.json().requestId, 'trace-me-43')
  assert.equal(denied.headers['x-request-id'], 'trace-me-43')
  assert.equal(denied.headers['x-ratelimit-limit'], '100')
  const fresh = await gw.request('GET', '/api/markets', { token: c1 })
  assert.match(String(fresh.headers['x-request-id']), UUID_RE)
})

test('when a route is called at /api/v1 or at its /api alias, then both answer the same', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const v1 = await gw.request('GET', '/api/v1/markets', { token: c1 })
  const alias = await gw.request('GET', '/api/markets', { token: c1 })
  assert.equal(v1.statusCode, 200)
  assert.deepEqual(alias.json(), v1.json())
  const refused = await gw.request('GET', '/api/v1/markets')
  assert.equal(refused.statusCode, 401)
})

test('when /docs/json is fetched, then the OpenAPI document lists every route with its schemas, and /docs serves the UI', async (t) => {
  const gw = await startGateway(t)
  const res = await gw.request('GET', '/docs/json')
  assert.equal(res.statusCode, 200)
  const doc = res.json()
  assert.match(doc.openapi, /^3\./)
  const expected = [
    'post /api/auth/login',
    'post /api/auth/refresh',
    'post /api/auth/logout',
    'post /api/auth/password',
    'get /api/auth/me',
    'post /api/customers',
    'get /api/customers',
    'get /api/customers/{id}',
    'put /api/customers/{id}/tier',
    'put /api/customers/{id}/status',
    'put /api/customers/{id}/broker',
    'post /api/customers/{id}/deposits',
    'post /api/customers/{id}/withdrawals',
    'get /api/customers/{id}/movements',
    'post /api/brokers',
    'get /api/brokers',
    'get /api/assets',
    'post /api/orders',
    'get /api/orders',
    'get /api/orders/{id}',
    'delete /api/orders/{id}',
    'post /api/orders/{id}/match',
    'get /api/orders/{id}/trades',
    'get /api/markets',
    'put /api/markets/{assetName}',
    'get /api/orderbook/{assetName}',
    'get /api/notifications',
    'get /api/notifications/preferences',
    'put /api/notifications/preferences',
    'get /api/notifications/contact',
    'put /api/notifications/contact',
    'post /api/notifications/push-subscriptions',
    'delete /api/notifications/push-subscriptions/{id}',
    'get /api/audit/events',
    'get /api/audit/reports/compliance',
    'get /api/audit/analytics',
    'get /api/ws',
    'get /.well-known/jwks.json',
    'get /.well-known/openid-configuration',
  ]
  const listed = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m} ${path}`),
  )
  // Each route once, at its version: the /api alias is hidden from the document (the live feed's too).
  const versioned = (r: string) => r.replace(' /api/', ' /api/v1/')
  assert.deepEqual(listed.sort(), expected.map(versioned).sort())
  assert.equal(doc.info.version, '1.0.0')

  const place = doc.paths['/api/v1/orders'].post
  const body = place.requestBody.content['application/json'].schema
  assert.deepEqual(body.required, ['customerId', 'assetName', 'side', 'size', 'price'])
  assert.equal(body.properties.size.type, 'integer')
  assert.equal(body.properties.size.minimum, 1)
  assert.equal(body.additionalProperties, false)
  assert.ok(place.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'idempotency-key'))
  assert.deepEqual(place.security, [{ bearerAuth: [] }])
  const listOrders = doc.paths['/api/v1/orders'].get.parameters.map((p: { name: string }) => p.name).sort()
  assert.deepEqual(listOrders, ['assetName', 'customerId', 'endDate', 'page', 'side', 'size', 'startDate', 'status'])
  assert.ok(doc.components.securitySchemes.bearerAuth)

  const ui = await gw.request('GET', '/docs/')
  assert.equal(ui.statusCode, 200)
  assert.match(ui.body, /swagger/i)
})
