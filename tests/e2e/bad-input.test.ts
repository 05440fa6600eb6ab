import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit } from './helpers.js'

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
  const logSize = async () => Number((await bus.query('SELECT count(*) AS n FROM bus_log')).rows[0].n)
  const before = { balances: await balances(p, token, alice.id), log: await logSize() }

  const order = { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 }
  const huge = Number.MAX_SAFE_INTEGER
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
    ['DELETE', '/api/orders/00000000-0000-4000-8000-000000000000', undefined, 404],
    ['PUT', `/api/customers/${alice.id}/tier`, { tier: 'VIP' }, 403],
  ]
  for (const [method, path, body, status] of cases) {
    const res = await p.api(
      method,
      path,
      typeof body === 'string' ? { token, raw: body, headers: { 'content-type': 'application/json' } } : { token, body },
    )
    assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body)}`)
    assert.equal(typeof res.body.error?.code, 'string', `${method} ${path}: error shape`)
    assert.equal(typeof res.body.requestId, 'string')
  }

  for (const auth of [undefined, 'garbage', `${token.slice(0, -4)}AAAA`]) {
    const res = await p.api('GET', `/api/orders`, { headers: auth ? { authorization: `Bearer ${auth}` } : {} })
    assert.equal(res.status, 401)
    assert.equal(res.body.error.code, 'UNAUTHENTICATED')
  }
  const wrongPassword = await p.api('POST', '/api/auth/login', { body: { username: alice.email, password: 'wrong-password' } })
  assert.equal(wrongPassword.status, 401)

  assert.deepEqual(await balances(p, token, alice.id), before.balances, 'balances unchanged')
  assert.equal(await logSize(), before.log, 'no event was published')
  const { rows } = await p.db('order').query('SELECT count(*)::int AS n FROM orders')
  assert.equal(rows[0].n, 0, 'no order was stored')
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
      Array.from({ length: 40 }, () => fetch(`${p.url}/api/customers/${c.id}`, { headers: { authorization: `Bearer ${token}` } })),
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
