import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { AppError } from '@brokerage/platform'
import { errorOf, ids, startGateway } from './support.js'

const IBAN = 'TR330006100519786457841326'

test('when a role calls a route it may not use, then 403 FORBIDDEN and no service is asked to do anything', async (t) => {
  const gw = await startGateway(t)
  const { c1, b1 } = await gw.tokens()
  const refusals: Array<[string, string, string, string, unknown?]> = [
    ['customer', c1, 'PUT', `/api/customers/${ids.c1}/tier`, { tier: 'VIP' }],
    ['customer', c1, 'PUT', `/api/customers/${ids.c1}/status`, { status: 'ACTIVE' }],
    ['customer', c1, 'PUT', `/api/customers/${ids.c1}/broker`, { brokerId: ids.broker1 }],
    ['customer', c1, 'POST', '/api/customers', { name: 'Eve', email: 'eve@example.com', password: 'long enough' }],
    ['customer', c1, 'POST', '/api/brokers', { name: 'Eve', email: 'eve@example.com', password: 'long enough' }],
    ['customer', c1, 'GET', '/api/brokers'],
    ['customer', c1, 'POST', `/api/orders/${ids.order1}/match`],
    ['customer', c1, 'PUT', '/api/markets/AAPL', { crossing: true }],
    ['customer', c1, 'GET', '/api/audit/analytics'],
    ['customer', c1, 'POST', `/api/customers/${ids.c1}/deposits`, { amount: 5, assetName: 'AAPL' }],
    ['broker', b1, 'PUT', `/api/customers/${ids.c1}/tier`, { tier: 'VIP' }],
    ['broker', b1, 'PUT', `/api/customers/${ids.c1}/status`, { status: 'SUSPENDED' }],
    ['broker', b1, 'PUT', `/api/customers/${ids.c1}/broker`, { brokerId: null }],
    ['broker', b1, 'POST', '/api/brokers', { name: 'Eve', email: 'eve@example.com', password: 'long enough' }],
    ['broker', b1, 'PUT', '/api/markets/AAPL', { crossing: true }],
    ['broker', b1, 'GET', '/api/audit/events'],
    ['broker', b1, 'GET', '/api/audit/reports/compliance'],
    ['broker', b1, 'POST', '/api/customers', { name: 'Eve', email: 'eve@example.com', password: 'long enough', tier: 'VIP' }],
  ]
  for (const [who, token, method, url, body] of refusals) {
    const res = await gw.request(method, url, { token, body })
    assert.equal(res.statusCode, 403, `${who} ${method} ${url}: ${res.body}`)
    assert.equal(errorOf(res).code, 'FORBIDDEN')
  }
  assert.deepEqual(gw.world.work(), [])
})

test('when a customer names another customer’s id on any customer-scoped route, then 404 exactly like a missing id', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const routes = (customer: string, order: string): Array<[string, string, unknown?]> => [
    ['GET', `/api/customers/${customer}`],
    ['POST', `/api/customers/${customer}/deposits`, { amount: 100 }],
    // Not the 403 a customer's own non-TRY deposit gets: another's account is never spoken of.
    ['POST', `/api/customers/${customer}/deposits`, { amount: 100, assetName: 'AAPL' }],
    ['POST', `/api/customers/${customer}/withdrawals`, { amount: 100, iban: IBAN }],
    ['GET', `/api/customers/${customer}/movements`],
    ['GET', `/api/assets?customerId=${customer}`],
    ['POST', '/api/orders', { customerId: customer, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 }],
    ['GET', `/api/orders?customerId=${customer}`],
    ['GET', `/api/orders/${order}`],
    ['DELETE', `/api/orders/${order}`],
    ['GET', `/api/orders/${order}/trades`],
    ['GET', `/api/notifications?customerId=${customer}`],
    ['GET', `/api/notifications/preferences?customerId=${customer}`],
    [
      'PUT',
      '/api/notifications/preferences',
      { customerId: customer, preferences: [{ eventType: 'OrderMatched', channel: 'SMS', enabled: false }] },
    ],
    ['GET', `/api/audit/events?customerId=${customer}`],
    ['GET', `/api/audit/events?orderId=${order}`],
    ['GET', `/api/audit/reports/compliance?customerId=${customer}`],
  ]
  const others = routes(ids.c2, ids.order2)
  const missing = routes(ids.missing, ids.missing)
  for (const [i, [method, url, body]] of others.entries()) {
    const res = await gw.request(method, url, { token: c1, body })
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`)
    const error = errorOf(res)
    assert.equal(error.code, 'NOT_FOUND')
    const [mMethod, mUrl, mBody] = missing[i]!
    const absent = await gw.request(mMethod, mUrl, { token: c1, body: mBody })
    assert.equal(absent.statusCode, 404, `${mMethod} ${mUrl}`)
    assert.deepEqual(errorOf(absent), error, `${method} ${url} must not differ from a missing id`)
  }
  const acted = gw.world.work().filter((c) => c.method !== 'GetOrder')
  assert.deepEqual(acted, [], 'nothing was done or listed for another customer')
})

test('when a customer uses their own data, then every customer-scoped route answers and is scoped to them', async (t) => {
  const gw = await startGateway(t)
  const { c1 } = await gw.tokens()
  const ok: Array<[string, string, number, unknown?]> = [
    ['GET', `/api/customers/${ids.c1}`, 200],
    ['POST', `/api/customers/${ids.c1}/deposits`, 202, { amount: 100 }],
    ['POST', `/api/customers/${ids.c1}/withdrawals`, 202, { amount: 100, iban: IBAN }],
    ['GET', `/api/customers/${ids.c1}/movements`, 200],
    ['GET', '/api/assets', 200],
    ['POST', '/api/orders', 202, { customerId: ids.c1, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 }],
    ['GET', '/api/orders', 200],
    ['GET', `/api/orders/${ids.order1}`, 200],
    ['DELETE', `/api/orders/${ids.order1}`, 202],
    ['GET', `/api/orders/${ids.order1}/trades`, 200],
    ['GET', '/api/notifications', 200],
    ['GET', '/api/notifications/preferences', 200],
    ['PUT', '/api/notifications/preferences', 200, { preferences: [{ eventType: 'OrderMatched', channel: 'SMS', enabled: false }] }],
    ['GET', '/api/audit/events', 200],
    ['GET', `/api/audit/events?orderId=${ids.order1}`, 200],
    ['GET', '/api/audit/reports/compliance', 200],
    ['GET', '/api/markets', 200],
    ['GET', '/api/orderbook/AAPL', 200],
  ]
  for (const [method, url, status, body] of ok) {
    const res = await gw.request(method, url, { token: c1, body })
    assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`)
  }
  assert.deepEqual(gw.world.requests('ListBalances'), [{ customer_ids: [ids.c1], asset_name: '' }])
  assert.equal(gw.world.requests('ListOrders')[0]!['customer_id'], ids.c1)
  assert.equal(gw.world.requests('ListNotifications')[0]!['customer_id'], ids.c1)
  assert.equal(gw.world.requests('SetPreferences')[0]!['customer_id'], ids.c1)
  assert.equal(gw.world.requests('ListEvents')[0]!['customer_id'], ids.c1)
  assert.equal(gw.world.requests('GetComplianceReport')[0]!['customer_id'], ids.c1)

  const list = await gw.request('GET', '/api/customers', { token: c1 })
  assert.deepEqual(
    list.json().content.map((c: { id: string }) => c.id),
    [ids.c1],
  )
  assert.equal(list.json().totalElements, 1)
  assert.equal(gw.world.requests('ListCustomers').length, 0, 'a customer never lists other customers')
})

test('when a broker acts, then only assigned customers are visible and lists are filtered by broker', async (t) => {
  const gw = await startGateway(t)
  const { b1 } = await gw.tokens()

  assert.equal((await gw.request('GET', `/api/customers/${ids.c1}`, { token: b1 })).statusCode, 200)
  assert.equal((await gw.request('GET', `/api/customers/${ids.c2}`, { token: b1 })).statusCode, 404)
  assert.equal((await gw.request('GET', `/api/customers/${ids.c3}`, { token: b1 })).statusCode, 404)

  const customers = await gw.request('GET', '/api/customers', { token: b1 })
  assert.deepEqual(
    customers.json().content.map((c: { id: string }) => c.id),
    [ids.c1],
  )
  assert.equal(gw.world.requests('ListCustomers').at(-1)!['broker_id'], ids.broker1)

  await gw.request('GET', '/api/orders', { token: b1 })
  assert.deepEqual(gw.world.requests('ListOrders').at(-1)!['customer_ids'], [ids.c1])
  assert.equal((await gw.request('GET', `/api/orders?customerId=${ids.c2}`, { token: b1 })).statusCode, 404)

  const assets = await gw.request('GET', '/api/assets', { token: b1 })
  assert.deepEqual(gw.world.requests('ListBalances').at(-1), { customer_ids: [ids.c1], asset_name: '' })
  assert.deepEqual(
    assets.json().map((b: { customerId: string }) => b.customerId),
    [ids.c1],
  )

  assert.equal((await gw.request('POST', `/api/orders/${ids.order1}/match`, { token: b1 })).statusCode, 202)
  const foreign = await gw.request('POST', `/api/orders/${ids.order2}/match`, { token: b1 })
  assert.equal(foreign.statusCode, 404)
  assert.deepEqual(errorOf(foreign), { code: 'NOT_FOUND', message: 'Order not found' })
  assert.deepEqual(
    gw.world.requests('MatchOrder').map((r) => r['id']),
    [ids.order1],
  )

  const deposit = await gw.request('POST', `/api/customers/${ids.c1}/deposits`, { token: b1, body: { amount: 7, assetName: 'AAPL' } })
  assert.equal(deposit.statusCode, 202)
  assert.equal(deposit.json().assetName, 'AAPL')
  assert.equal((await gw.request('POST', `/api/customers/${ids.c2}/deposits`, { token: b1, body: { amount: 7 } })).statusCode, 404)

  const created = await gw.request('POST', '/api/customers', {
    token: b1,
    body: { name: 'Dora', email: 'dora@example.com', password: 'long enough' },
  })
  assert.equal(created.statusCode, 201)
  assert.equal(created.json().brokerId, ids.broker1)
  assert.equal(gw.world.requests('CreateCustomer')[0]!['broker_id'], ids.broker1)
})

test('when a broker has no customers, then the balance list is empty without asking for every customer’s balances', async (t) => {
  const gw = await startGateway(t)
  const { b2 } = await gw.tokens()
  gw.world.customers.get(ids.c2)!.broker_id = ''
  const res = await gw.request('GET', '/api/assets', { token: b2 })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), [])
  assert.equal(gw.world.requests('ListBalances').length, 0)
})

test('when an admin acts, then any customer is reachable and admin-only routes work', async (t) => {
  const gw = await startGateway(t)
  const { admin } = await gw.tokens()
  const tier = await gw.request('PUT', `/api/customers/${ids.c2}/tier`, { token: admin, body: { tier: 'VIP' } })
  assert.equal(tier.statusCode, 200)
  assert.equal(tier.json().tier, 'VIP')
  const status = await gw.request('PUT', `/api/customers/${ids.c2}/status`, { token: admin, body: { status: 'SUSPENDED' } })
  assert.equal(status.json().status, 'SUSPENDED')
  const broker = await gw.request('PUT', `/api/customers/${ids.c3}/broker`, { token: admin, body: { brokerId: ids.broker2 } })
  assert.equal(broker.json().brokerId, ids.broker2)
  const unassigned = await gw.request('PUT', `/api/customers/${ids.c3}/broker`, { token: admin, body: { brokerId: null } })
  assert.equal(unassigned.json().brokerId, null)
  assert.equal(gw.world.requests('AssignBroker').at(-1)!['broker_id'], '')
  const newBroker = await gw.request('POST', '/api/brokers', {
    token: admin,
    body: { name: 'Broker Three', email: 'b3@example.com', password: 'long enough' },
  })
  assert.equal(newBroker.statusCode, 201)
  const market = await gw.request('PUT', '/api/markets/AAPL', { token: admin, body: { crossing: true } })
  assert.deepEqual(market.json(), { assetName: 'AAPL', crossing: true, updatedAt: '2025-01-31T09:30:00.000Z' })
  const analytics = await gw.request('GET', '/api/audit/analytics', { token: admin })
  assert.equal(analytics.json().sagaDurations[0].p95Ms, 40)
  const all = await gw.request('GET', '/api/assets', { token: admin })
  assert.equal(all.json().length, 3)
  assert.deepEqual(gw.world.requests('ListBalances').at(-1), { customer_ids: [], asset_name: '' })
  const missing = await gw.request('GET', `/api/customers/${ids.missing}`, { token: admin })
  assert.equal(missing.statusCode, 404)
})

test('when an admin moves a customer to another broker, then both brokers’ order lists follow at once, whatever the order service last heard', async (t) => {
  const gw = await startGateway(t)
  const { admin, b1, b2 } = await gw.tokens()
  // The order service as it stands while BrokerAssigned is unconsumed: its replica still
  // says c1 is broker1's. Given customer ids, it lists exactly those customers' orders.
  const staleBroker = new Map<string, string>([
    [ids.c1, ids.broker1],
    [ids.c2, ids.broker2],
  ])
  gw.world.override('order', 'ListOrders', async (r) => {
    const visible = [...gw.world.orders.values()].filter((o) =>
      r.customer_ids.length > 0 ? r.customer_ids.includes(o.customer_id) : !r.broker_id || staleBroker.get(o.customer_id) === r.broker_id,
    )
    return { content: visible, page: { page: 0, size: 20, total_elements: visible.length } }
  })
  const orderIds = async (token: string) =>
    (await gw.request('GET', '/api/orders', { token })).json().content.map((o: { id: string }) => o.id)
  assert.deepEqual(await orderIds(b1), [ids.order1])

  const moved = await gw.request('PUT', `/api/customers/${ids.c1}/broker`, { token: admin, body: { brokerId: ids.broker2 } })
  assert.equal(moved.statusCode, 200)
  assert.deepEqual(await orderIds(b1), [])
  assert.deepEqual((await orderIds(b2)).sort(), [ids.order1, ids.order2].sort())
  assert.equal((await gw.request('GET', `/api/orders?customerId=${ids.c1}`, { token: b1 })).statusCode, 404)
})

test('when a broker has more customers than the asset service takes in one call, then /assets asks in slices and answers all, sorted', async (t) => {
  const gw = await startGateway(t)
  const { b1 } = await gw.tokens()
  const template = gw.world.customers.get(ids.c1)!
  for (let i = 0; i < 2100; i++) {
    const id = randomUUID()
    gw.world.customers.set(id, { ...template, id, email: `c${i}@example.com` })
  }
  // The asset service's own limit (services/asset/src/grpc.ts).
  gw.world.override('asset', 'ListBalances', async (r) => {
    if (r.customer_ids.length > 1000) throw new AppError('VALIDATION_FAILED', 'at most 1000 ids')
    return { balances: r.customer_ids.map((id) => ({ customer_id: id, asset_name: 'TRY', size: 1, usable_size: 1 })) }
  })
  const res = await gw.request('GET', '/api/assets', { token: b1 })
  assert.equal(res.statusCode, 200, res.body)
  const listed = res.json().map((b: { customerId: string }) => b.customerId)
  assert.equal(listed.length, 2101)
  assert.deepEqual(listed, [...listed].sort())
  assert.deepEqual(
    gw.world
      .requests('ListBalances')
      .map((r) => (r['customer_ids'] as string[]).length)
      .sort((a, b) => a - b),
    [101, 1000, 1000],
  )
})
