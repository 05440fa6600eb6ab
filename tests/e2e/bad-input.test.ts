import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit, until } from './helpers.js'

test('bad input through the gateway answers 4xx in the error shape and changes nothing', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const alice = await createCustomer(p, admin)
  const bob = await createCustomer(p, admin)
  const token = await p.login(alice.email, alice.password)
  await deposit(p, token, alice.id, 100_000)
  const bus = new pg.Pool({ connectionString: p.busUrl, max: 1 })
  bus.on('error', () => {})
  t.after(() => bus.end())
  // A refused sign-in is recorded on purpose (SignInFailed, the security audit trail): every other
  // topic must stay as it was.
  const logSize = async () => Number((await bus.query("SELECT count(*) AS n FROM bus_log WHERE topic <> 'security.events'")).rows[0].n)
  const orderDb = p.db('order')
  const engineDb = p.db('order-processor')
  // One booked order, so the match and trades routes meet a real one too.
  const booked = await p.api('POST', '/api/orders', {
    token,
    body: { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 2, price: 100 },
    headers: { prefer: 'wait=10' },
  })
  assert.equal(booked.body.status, 'CONFIRMED', JSON.stringify(booked.body))
  const bookedId = booked.body.id as string
  await until(
    'the engine to book the order',
    async () => (await p.api('GET', '/api/orderbook/AAPL', { token })).body,
    (b) => b.bids?.length === 1,
  )
  const stored = async () => ({
    orders: (await orderDb.query('SELECT * FROM orders ORDER BY id')).rows,
    history: (await orderDb.query('SELECT * FROM order_status_history ORDER BY id')).rows,
    books: (await engineDb.query('SELECT * FROM books ORDER BY asset_name')).rows,
    bookOrders: (await engineDb.query('SELECT * FROM book_orders ORDER BY order_id')).rows,
    markets: (await engineDb.query('SELECT * FROM markets ORDER BY asset_name')).rows,
  })
  const before = { balances: await balances(p, token, alice.id), log: await logSize(), stored: await stored() }

  const order = { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 }
  const huge = Number.MAX_SAFE_INTEGER
  const unknown = '00000000-0000-4000-8000-000000000000'
  const cases: Array<[string, string, unknown, number, string?]> = [
    ['POST', '/api/orders', { ...order, size: 0 }, 400],
    ['POST', '/api/orders', { ...order, size: -1 }, 400],
    ['POST', '/api/orders', { ...order, size: 1.5 }, 400],
    ['POST', '/api/orders', { ...order, price: '100' }, 400],
    ['POST', '/api/orders', { ...order, price: huge + 2 }, 400],
    ['POST', '/api/orders', { ...order, size: huge, price: huge }, 400],
    ['POST', '/api/orders', { ...order, side: 'HOLD' }, 400],
    ['POST', '/api/orders', { ...order, customerId: 'not-a-uuid' }, 400],
    ['POST', '/api/orders', { ...order, extra: true }, 400],
    ['POST', '/api/orders', { ...order, assetName: '' }, 400],
    ['POST', '/api/orders', { ...order, customerId: bob.id }, 404],
    ['POST', '/api/orders', 'x'.repeat(64 * 1024), 413],
    ['POST', `/api/customers/${alice.id}/deposits`, { amount: 0 }, 400],
    ['POST', `/api/customers/${alice.id}/deposits`, { amount: -5 }, 400],
    ['POST', `/api/customers/${alice.id}/deposits`, { amount: 2.5 }, 400],
    ['POST', `/api/customers/${alice.id}/deposits`, { amount: huge + 10 }, 400],
    ['POST', `/api/customers/${bob.id}/deposits`, { amount: 10 }, 404],
    ['POST', `/api/customers/${alice.id}/withdrawals`, { amount: 10, iban: 'TR00 not an iban' }, 400],
    ['POST', `/api/customers/${alice.id}/withdrawals`, { amount: -10, iban: 'TR330006100519786457841326' }, 400],
    ['GET', '/api/orders?size=1000', undefined, 400],
    ['GET', '/api/orders?page=-1', undefined, 400],
    ['GET', '/api/orders?startDate=yesterday', undefined, 400],
    ['GET', '/api/orders/not-a-uuid', undefined, 400],
    ['DELETE', `/api/orders/${unknown}`, undefined, 404],
    ['PUT', `/api/customers/${alice.id}/tier`, { tier: 'VIP' }, 403],
    // The trade routes: a customer may neither match nor set a market.
    ['POST', `/api/orders/${bookedId}/match`, undefined, 403],
    ['PUT', '/api/markets/AAPL', { crossing: true }, 403],
    ['GET', '/api/orders/not-a-uuid/trades', undefined, 400],
    ['GET', `/api/orders/${unknown}/trades`, undefined, 404],
    ['GET', '/api/orderbook/aapl', undefined, 400],
    ['GET', '/api/orderbook/AAPL?depth=0', undefined, 400],
    ['GET', '/api/orderbook/AAPL?depth=1001', undefined, 400],
    ['GET', '/api/orderbook/AAPL?depth=two', undefined, 400],
    ['GET', '/api/orderbook/AAPL?side=BUY', undefined, 400],
  ]
  // The same trade routes as an admin, who may use them: only the input is wrong.
  const adminCases: typeof cases = [
    ['POST', '/api/orders/not-a-uuid/match', undefined, 400],
    ['POST', `/api/orders/${unknown}/match`, undefined, 404],
    ['POST', `/api/orders/${bookedId}/match`, { size: 1 }, 400],
    ['POST', `/api/orders/${bookedId}/match`, '{"size":', 400],
    ['POST', `/api/orders/${bookedId}/match`, [], 400],
    ['PUT', '/api/markets/AAPL', {}, 400],
    ['PUT', '/api/markets/AAPL', { crossing: 'true' }, 400],
    ['PUT', '/api/markets/AAPL', { crossing: 1 }, 400],
    ['PUT', '/api/markets/AAPL', { crossing: true, depth: 5 }, 400],
    ['PUT', '/api/markets/aapl', { crossing: true }, 400],
    ['PUT', '/api/markets/TRY', { crossing: true }, 400],
    ['PUT', '/api/markets/AAPL', '{"crossing":tru', 400],
    ['GET', '/api/markets?asset=AAPL', undefined, 400],
  ]
  const refused = async (as: string, [method, path, body, status]: (typeof cases)[number]) => {
    const res = await p.api(
      method,
      path,
      typeof body === 'string' ? { token: as, raw: body, headers: { 'content-type': 'application/json' } } : { token: as, body },
    )
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body)}`)
    assert.equal(typeof res.body.error?.code, 'string', `${method} ${path}: error shape`)
    assert.equal(typeof res.body.requestId, 'string')
  }
  for (const c of cases) await refused(token, c)
  for (const c of adminCases) await refused(admin, c)
  const badKey = await p.api('POST', `/api/orders/${bookedId}/match`, { token: admin, headers: { 'idempotency-key': 'é' } })
  assert.equal(badKey.status, 400, JSON.stringify(badKey.body))

  for (const auth of [undefined, 'garbage', `${token.slice(0, -4)}AAAA`]) {
    const res = await p.api('GET', `/api/orders`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} })
    assert.equal(res.status, 401)
    assert.equal(res.body.error.code, 'UNAUTHENTICATED')
  }
  const wrongPassword = await p.api('POST', '/api/auth/login', { body: { username: alice.email, password: 'wrong-password' } })
  assert.equal(wrongPassword.status, 401)

  assert.deepEqual(await balances(p, token, alice.id), before.balances, 'balances unchanged')
  assert.equal(await logSize(), before.log, 'no event was published')
  assert.deepEqual(await stored(), before.stored, 'no order, history row, book or market changed')
})

test('when a STANDARD customer exceeds 100 requests a minute, then the gateway answers 429 with Retry-After', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const c = await createCustomer(p, admin, { tier: 'STANDARD' })
  const token = await p.login(c.email, c.password)
  // A token bucket of 100 a minute refills as it goes, so ask in bursts until it says no.
  const statuses: number[] = []
  let limited: Response | null = null
  for (let burst = 0; burst < 10 && !limited; burst++) {
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(p.apiUrl(`/api/customers/${c.id}`), { headers: { authorization: `Bearer ${token}` } })),
    )
    for (const res of responses) {
      statuses.push(res.status)
      if (res.status === 429 && !limited) limited = res
      else await res.text()
    }
  }
  assert.ok(limited, `a request was refused (statuses: ${[...new Set(statuses)].join(',')})`)
  assert.ok(statuses.filter((s) => s === 200).length >= 100, 'the first 100 pass')
  assert.ok(Number(limited!.headers.get('retry-after')) > 0)
  const body = (await limited!.json()) as { error: { code: string } }
  assert.equal(body.error.code, 'RATE_LIMITED')
})
