import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorOf, ids, startGateway } from './support.js'

const IBAN = 'TR330006100519786457841326'
const order = { customerId: ids.c1, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 }
const customer = { name: 'Eve', email: 'eve@example.com', password: 'long enough' }
const pref = { eventType: 'OrderMatched', channel: 'SMS', enabled: false }

// [method, url, body, the field the error must name]
type Case = [string, string, unknown, string]

const BAD: Case[] = [
  // identity
  ['POST', '/api/auth/login', {}, 'body.username'],
  ['POST', '/api/auth/login', { username: 'admin', password: 5 }, 'body.password'],
  ['POST', '/api/auth/login', { username: '', password: 'admin' }, 'body.username'],
  ['POST', '/api/auth/login', { username: 'admin', password: 'admin', remember: true }, 'body.remember'],
  // customers
  ['POST', '/api/customers', { ...customer, name: undefined }, 'body.name'],
  ['POST', '/api/customers', { ...customer, name: '   ' }, 'body.name'],
  ['POST', '/api/customers', { ...customer, email: 'not an email' }, 'body.email'],
  ['POST', '/api/customers', { ...customer, password: 'short' }, 'body.password'],
  ['POST', '/api/customers', { ...customer, tier: 'GOLD' }, 'body.tier'],
  ['POST', '/api/customers', { ...customer, role: 'ADMIN' }, 'body.role'],
  ['POST', '/api/customers', { ...customer, name: 42 }, 'body.name'],
  ['GET', '/api/customers?page=-1', undefined, 'querystring.page'],
  ['GET', '/api/customers?size=0', undefined, 'querystring.size'],
  ['GET', '/api/customers?size=101', undefined, 'querystring.size'],
  ['GET', '/api/customers?size=1.5', undefined, 'querystring.size'],
  ['GET', '/api/customers?page=abc', undefined, 'querystring.page'],
  ['GET', '/api/customers?page=1&page=2', undefined, 'querystring.page'],
  ['GET', '/api/customers?tier=GOLD', undefined, 'querystring.tier'],
  ['GET', '/api/customers?brokerId=x', undefined, 'querystring.brokerId'],
  ['GET', '/api/customers/not-a-uuid', undefined, 'params.id'],
  ['GET', `/api/customers/${ids.c1.toUpperCase()}`, undefined, 'params.id'],
  ['GET', `/api/customers/urn:uuid:${ids.c1}`, undefined, 'params.id'],
  ['PUT', `/api/customers/${ids.c1}/tier`, { tier: 'GOLD' }, 'body.tier'],
  ['PUT', `/api/customers/${ids.c1}/tier`, {}, 'body.tier'],
  ['PUT', `/api/customers/${ids.c1}/tier`, { tier: 'VIP', reason: 'x' }, 'body.reason'],
  ['PUT', '/api/customers/123/tier', { tier: 'VIP' }, 'params.id'],
  ['PUT', `/api/customers/${ids.c1}/status`, { status: 'DELETED' }, 'body.status'],
  ['PUT', `/api/customers/${ids.c1}/broker`, { brokerId: 'someone' }, 'body.brokerId'],
  ['PUT', `/api/customers/${ids.c1}/broker`, { brokerId: 5 }, 'body.brokerId'],
  ['PUT', `/api/customers/${ids.c1}/broker`, {}, 'body.brokerId'],
  // money
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 0 }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: -5 }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 1.5 }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: '10' }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 2 ** 53 }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 1e20 }, 'body.amount'],
  // 2^53 − 1: no event can carry it (an Avro long stops one short), so a service failed on it (500).
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: Number.MAX_SAFE_INTEGER }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/withdrawals`, { amount: Number.MAX_SAFE_INTEGER, iban: IBAN }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: null }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: true }, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, {}, 'body.amount'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 10, assetName: 'try' }, 'body.assetName'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 10, assetName: '' }, 'body.assetName'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 10, assetName: 'A'.repeat(33) }, 'body.assetName'],
  ['POST', `/api/customers/${ids.c1}/deposits`, { amount: 10, currency: 'TRY' }, 'body.currency'],
  ['POST', `/api/customers/${ids.c1}/withdrawals`, { amount: 10, iban: 'TR12' }, 'body.iban'],
  ['POST', `/api/customers/${ids.c1}/withdrawals`, { amount: 10, iban: 'tr330006100519786457841326' }, 'body.iban'],
  ['POST', `/api/customers/${ids.c1}/withdrawals`, { amount: 10 }, 'body.iban'],
  ['POST', `/api/customers/${ids.c1}/withdrawals`, { amount: 0, iban: IBAN }, 'body.amount'],
  ['GET', `/api/customers/${ids.c1}/movements?page=-1`, undefined, 'querystring.page'],
  ['GET', '/api/assets?customerId=bad', undefined, 'querystring.customerId'],
  ['GET', '/api/assets?assetName=aapl', undefined, 'querystring.assetName'],
  ['GET', '/api/assets?asset=AAPL', undefined, 'querystring.asset'],
  // orders
  ['POST', '/api/orders', { ...order, size: 0 }, 'body.size'],
  ['POST', '/api/orders', { ...order, price: -1 }, 'body.price'],
  ['POST', '/api/orders', { ...order, size: 1.5 }, 'body.size'],
  ['POST', '/api/orders', { ...order, price: '15000' }, 'body.price'],
  ['POST', '/api/orders', { ...order, price: Number.MAX_SAFE_INTEGER + 2 }, 'body.price'],
  ['POST', '/api/orders', { ...order, size: 1_000_000, price: 1_000_000_000_000 }, 'body.price'],
  ['POST', '/api/orders', { ...order, size: Number.MAX_SAFE_INTEGER, price: 1 }, 'body.size'],
  ['POST', '/api/orders', { ...order, size: 1, price: Number.MAX_SAFE_INTEGER }, 'body.price'],
  // 6361 × 1416003655831 = 2^53 − 1: a reservation no event can carry.
  ['POST', '/api/orders', { ...order, size: 6361, price: 1_416_003_655_831 }, 'body.price'],
  ['POST', '/api/orders', { ...order, side: 'HOLD' }, 'body.side'],
  ['POST', '/api/orders', { ...order, side: 'buy' }, 'body.side'],
  ['POST', '/api/orders', { ...order, assetName: 'TRY' }, 'body.assetName'],
  ['POST', '/api/orders', { ...order, customerId: 'me' }, 'body.customerId'],
  ['POST', '/api/orders', { ...order, customerId: undefined }, 'body.customerId'],
  ['POST', '/api/orders', { ...order, type: 'MARKET' }, 'body.type'],
  ['POST', '/api/orders', [order], 'body'],
  ['GET', '/api/orders?side=HOLD', undefined, 'querystring.side'],
  ['GET', '/api/orders?status=DONE', undefined, 'querystring.status'],
  ['GET', '/api/orders?startDate=yesterday', undefined, 'querystring.startDate'],
  ['GET', '/api/orders?endDate=2025-13-01T00:00:00Z', undefined, 'querystring.endDate'],
  ['GET', '/api/orders?size=1000', undefined, 'querystring.size'],
  ['GET', '/api/orders?customerId=bad', undefined, 'querystring.customerId'],
  ['GET', '/api/orders?sort=price', undefined, 'querystring.sort'],
  ['GET', '/api/orders/bad', undefined, 'params.id'],
  ['DELETE', '/api/orders/bad', undefined, 'params.id'],
  ['POST', '/api/orders/bad/match', undefined, 'params.id'],
  ['POST', `/api/orders/${ids.order1}/match`, { force: true }, 'body.force'],
  ['GET', '/api/orders/bad/trades', undefined, 'params.id'],
  // markets
  ['PUT', '/api/markets/aapl', { crossing: true }, 'params.assetName'],
  ['PUT', '/api/markets/AAPL', { crossing: 'yes' }, 'body.crossing'],
  ['PUT', '/api/markets/AAPL', {}, 'body.crossing'],
  ['GET', '/api/orderbook/AA%20PL', undefined, 'params.assetName'],
  ['GET', '/api/orderbook/AAPL?depth=0', undefined, 'querystring.depth'],
  ['GET', '/api/orderbook/AAPL?depth=abc', undefined, 'querystring.depth'],
  // notifications
  ['GET', '/api/notifications?size=0', undefined, 'querystring.size'],
  ['GET', '/api/notifications?customerId=bad', undefined, 'querystring.customerId'],
  ['GET', `/api/notifications`, undefined, 'querystring.customerId'],
  ['GET', '/api/notifications/preferences?channel=SMS', undefined, 'querystring.channel'],
  ['PUT', '/api/notifications/preferences', { customerId: ids.c1, preferences: [] }, 'body.preferences'],
  [
    'PUT',
    '/api/notifications/preferences',
    { customerId: ids.c1, preferences: [{ ...pref, channel: 'PIGEON' }] },
    'body.preferences.0.channel',
  ],
  [
    'PUT',
    '/api/notifications/preferences',
    { customerId: ids.c1, preferences: [{ ...pref, enabled: 'true' }] },
    'body.preferences.0.enabled',
  ],
  [
    'PUT',
    '/api/notifications/preferences',
    { customerId: ids.c1, preferences: [{ ...pref, eventType: '' }] },
    'body.preferences.0.eventType',
  ],
  ['PUT', '/api/notifications/preferences', { customerId: ids.c1, preferences: [{ ...pref, extra: 1 }] }, 'body.preferences.0.extra'],
  // audit
  ['GET', '/api/audit/events?orderId=bad', undefined, 'querystring.orderId'],
  ['GET', '/api/audit/events?page=-1', undefined, 'querystring.page'],
  ['GET', '/api/audit/reports/compliance?from=yesterday', undefined, 'querystring.from'],
  ['GET', '/api/audit/reports/compliance?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z', undefined, 'querystring.to'],
  ['GET', '/api/audit/analytics?to=soon', undefined, 'querystring.to'],
]

test('when any route gets bad input, then 400 VALIDATION_FAILED names the field in the error shape and no service is called', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  for (const [method, url, body, field] of BAD) {
    const res = await gw.request(method, url, { token: admin, body, headers: { 'x-request-id': 'bad-input' } })
    const what = `${method} ${url} ${JSON.stringify(body)}`
    assert.equal(res.statusCode, 400, `${what}: ${res.body}`)
    const error = errorOf(res)
    assert.equal(error.code, 'VALIDATION_FAILED', what)
    assert.equal(res.json().requestId, 'bad-input')
    assert.ok(Array.isArray(error.details), what)
    assert.ok(
      error.details.some((d) => d.field === field && typeof d.message === 'string'),
      `${what}: expected ${field} in ${JSON.stringify(error.details)}`,
    )
  }
  assert.deepEqual(gw.world.calls, [])
})

test('when a body is too large, not JSON, or of another content type, then 413, 400 and 415 in the error shape', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  const url = `/api/customers/${ids.c1}/deposits`
  const big = await gw.request('POST', '/api/customers', { token: admin, body: { ...customer, name: 'x'.repeat(17 * 1024) } })
  assert.equal(big.statusCode, 413)
  assert.equal(errorOf(big).code, 'PAYLOAD_TOO_LARGE')

  const broken = await gw.request('POST', url, { token: admin, body: '{"amount":', headers: { 'content-type': 'application/json' } })
  assert.equal(broken.statusCode, 400)
  assert.equal(errorOf(broken).code, 'VALIDATION_FAILED')

  for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
    const res = await gw.request('POST', url, { token: admin, body: 'amount=10', headers: { 'content-type': type } })
    assert.equal(res.statusCode, 415, type)
    assert.equal(errorOf(res).code, 'UNSUPPORTED_MEDIA_TYPE', type)
  }
  const untyped = await gw.request('POST', '/api/orders', { token: admin })
  assert.equal(untyped.statusCode, 400, 'a required body that is missing')
  assert.equal(errorOf(untyped).code, 'VALIDATION_FAILED')
  assert.deepEqual(gw.world.calls, [])
})

test('when the Idempotency-Key header is malformed, then 400 names it and nothing runs', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  for (const key of ['k'.repeat(256), 'caf\u00e9', 'tab\there']) {
    const res = await gw.request('POST', `/api/customers/${ids.c1}/deposits`, {
      token: admin,
      body: { amount: 10 },
      headers: { 'idempotency-key': key },
    })
    assert.equal(res.statusCode, 400, JSON.stringify(key))
    assert.equal(errorOf(res).details?.[0]?.field, 'headers.idempotency-key')
  }
  assert.deepEqual(gw.world.calls, [])
})

test('when paging is omitted or given, then the service gets page 0 and size 20 by default, and the answer is flat', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  const res = await gw.request('GET', '/api/orders', { token: admin })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(gw.world.requests('ListOrders')[0]!['page'], { page: 0, size: 20 })
  const body = res.json()
  assert.deepEqual(Object.keys(body).sort(), ['content', 'page', 'size', 'totalElements'])
  assert.equal(body.totalElements, 2)

  await gw.request(
    'GET',
    `/api/orders?page=3&size=100&side=SELL&status=MATCHED&assetName=AAPL&customerId=${ids.c2}&startDate=2025-01-01T03:00:00%2B03:00&endDate=2025-02-01T00:00:00Z`,
    {
      token: admin,
    },
  )
  assert.deepEqual(gw.world.requests('ListOrders')[1], {
    page: { page: 3, size: 100 },
    customer_id: ids.c2,
    customer_ids: [],
    broker_id: '',
    asset_name: 'AAPL',
    side: 'SELL',
    status: 'MATCHED',
    start_date: '2025-01-01T00:00:00.000Z',
    end_date: '2025-02-01T00:00:00.000Z',
  })
})

test('when a date-time is a leap second or another form the schema accepts, then the orders list and the audit reports pass the instant on, and a non-date answers 400', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  // [as sent, the instant services receive]: RFC 3339 allows second 60, lower-case t and z,
  // a space separator, offsets without a colon or minutes; JavaScript's Date parses none of the
  // last four reliably and no leap second at all.
  const accepted: Array<[string, string]> = [
    ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
    ['2016-12-31T23:59:60.5Z', '2017-01-01T00:00:00.500Z'],
    ['2017-01-01T02:59:60+03:00', '2017-01-01T00:00:00.000Z'],
    ['2016-12-31t23:59:59z', '2016-12-31T23:59:59.000Z'],
    ['2016-12-31 23:59:59Z', '2016-12-31T23:59:59.000Z'],
    ['2017-01-01T02:00:00+03', '2016-12-31T23:00:00.000Z'],
    ['2017-01-01T02:00:00+0300', '2016-12-31T23:00:00.000Z'],
    ['2016-12-31T23:59:59.123456789Z', '2016-12-31T23:59:59.123Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000Z'],
  ]
  for (const [sent, instant] of accepted) {
    const q = encodeURIComponent(sent)
    const orders = await gw.request('GET', `/api/orders?startDate=${q}`, { token: admin })
    assert.equal(orders.statusCode, 200, `orders ${sent}: ${orders.body}`)
    assert.equal(gw.world.requests('ListOrders').at(-1)!['start_date'], instant, sent)
    const report = await gw.request('GET', `/api/audit/reports/compliance?customerId=${ids.c1}&from=${q}`, { token: admin })
    assert.equal(report.statusCode, 200, `report ${sent}: ${report.body}`)
    assert.equal(gw.world.requests('GetComplianceReport').at(-1)!['from'], instant, sent)
    const analytics = await gw.request('GET', `/api/audit/analytics?to=${q}`, { token: admin })
    assert.equal(analytics.statusCode, 200, `analytics ${sent}: ${analytics.body}`)
    assert.equal(gw.world.requests('GetAnalytics').at(-1)!['to'], instant, sent)
  }
  // Not a leap second (not the last minute of a UTC day), no zone, an impossible day: 400.
  for (const sent of ['2016-12-31T23:58:60Z', '2016-12-31T23:59:60', '2017-02-29T00:00:00Z']) {
    const q = encodeURIComponent(sent)
    const orders = await gw.request('GET', `/api/orders?startDate=${q}`, { token: admin })
    assert.equal(orders.statusCode, 400, sent)
    assert.equal(errorOf(orders).details?.[0]?.field, 'querystring.startDate', sent)
    const report = await gw.request('GET', `/api/audit/reports/compliance?customerId=${ids.c1}&from=${q}`, { token: admin })
    assert.equal(report.statusCode, 400, sent)
    assert.equal(errorOf(report).details?.[0]?.field, 'querystring.from', sent)
  }
  // A leap second still orders correctly against its neighbour.
  const backwards = await gw.request(
    'GET',
    `/api/audit/reports/compliance?customerId=${ids.c1}&from=2016-12-31T23:59:60Z&to=2017-01-01T00:00:00Z`,
    {
      token: admin,
    },
  )
  assert.equal(backwards.statusCode, 400)
  assert.equal(errorOf(backwards).details?.[0]?.field, 'querystring.to')
})

test('when a date-time names an instant outside years 0001–9999, then 400 names the field and no service is called (PostgreSQL has no year 0: it answered 500)', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  // Year 0, and instants pushed across either end by their offset.
  const outside = ['0000-06-01T00:00:00Z', '0001-01-01T00:00:00+00:01', '9999-12-31T23:59:59-00:01']
  for (const sent of outside) {
    const q = encodeURIComponent(sent)
    const cases: Array<[string, string]> = [
      [`/api/orders?startDate=${q}`, 'querystring.startDate'],
      [`/api/orders?endDate=${q}`, 'querystring.endDate'],
      [`/api/audit/reports/compliance?customerId=${ids.c1}&from=${q}`, 'querystring.from'],
      [`/api/audit/analytics?to=${q}`, 'querystring.to'],
    ]
    for (const [url, field] of cases) {
      const res = await gw.request('GET', url, { token: admin })
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`)
      assert.equal(errorOf(res).details?.[0]?.field, field, url)
    }
  }
  // The first and last instants of the range still pass.
  for (const sent of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
    const res = await gw.request('GET', `/api/audit/analytics?from=${encodeURIComponent(sent)}`, { token: admin })
    assert.equal(res.statusCode, 200, `${sent}: ${res.body}`)
  }
  assert.deepEqual(gw.world.requests('ListOrders'), [])
  assert.deepEqual(gw.world.requests('GetComplianceReport'), [])
  assert.equal(gw.world.requests('GetAnalytics').length, 2)
})

test('when the orders list is asked for an endDate not after its startDate, then 400 names querystring.endDate and the order service is not called', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  for (const [start, end] of [
    ['2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T03:00:00+03:00', '2025-01-01T00:00:00Z'],
  ]) {
    const res = await gw.request('GET', `/api/orders?startDate=${encodeURIComponent(start!)}&endDate=${encodeURIComponent(end!)}`, {
      token: admin,
    })
    assert.equal(res.statusCode, 400, res.body)
    assert.deepEqual(errorOf(res).details, [{ field: 'querystring.endDate', message: 'must be after startDate' }])
  }
  assert.deepEqual(gw.world.requests('ListOrders'), [])
})

test('when a JSON body holds a lone UTF-16 surrogate (\\ud800), then 400 names the field and no service is called, rather than storing it as replacement characters', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  const json = { 'content-type': 'application/json' }
  const cases: Array<[string, string, string, string]> = [
    ['POST', '/api/customers', '{"name":"Ada \\ud800","email":"ada2@example.com","password":"long enough"}', 'body.name'],
    ['POST', '/api/customers', '{"name":"Ada","email":"ada2@example.com","password":"long \\udfffenough"}', 'body.password'],
    [
      'PUT',
      '/api/notifications/preferences',
      `{"customerId":"${ids.c1}","preferences":[{"eventType":"OrderMatched","channel":"SMS","enabled":true},{"eventType":"Order\\ud800","channel":"SMS","enabled":true}]}`,
      'body.preferences.1.eventType',
    ],
  ]
  for (const [method, url, raw, field] of cases) {
    const res = await gw.request(method, url, { token: admin, body: raw, headers: json })
    assert.equal(res.statusCode, 400, `${raw}: ${res.body}`)
    assert.equal(errorOf(res).details?.[0]?.field, field, raw)
  }
  // A surrogate pair is one character (an emoji), not a lone surrogate.
  const emoji = await gw.request('POST', '/api/customers', {
    token: admin,
    body: '{"name":"Ada \\ud83d\\udc69","email":"ada3@example.com","password":"long enough"}',
    headers: json,
  })
  assert.equal(emoji.statusCode, 201, emoji.body)
  assert.equal(emoji.json().name, 'Ada 👩')
  assert.deepEqual(
    gw.world.work().map((c) => c.method),
    ['CreateCustomer'],
  )
})
