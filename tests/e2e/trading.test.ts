import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until } from './helpers.js'

const IBAN = 'TR330006100519786457841326'

test('trading through the gateway on real processes', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const alice = await createCustomer(p, admin, { name: 'Alice', tier: 'VIP' })
  const bob = await createCustomer(p, admin, { name: 'Bob', tier: 'PREMIUM' })
  const aliceToken = await p.login(alice.email, alice.password)
  const bobToken = await p.login(bob.email, bob.password)
  const order = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    p.api('POST', '/api/orders', { token, body, headers: { prefer: 'wait=10', ...headers } })

  await t.test('when a customer deposits TRY and an admin deposits an asset, then the balances show them', async () => {
    await deposit(p, aliceToken, alice.id, 1_000_000)
    await deposit(p, admin, alice.id, 50, 'AAPL')
    const b = await balances(p, aliceToken, alice.id)
    assert.deepEqual(
      { TRY: [b.TRY!.size, b.TRY!.usableSize], AAPL: [b.AAPL!.size, b.AAPL!.usableSize] },
      { TRY: [1_000_000, 1_000_000], AAPL: [50, 50] },
    )
    const refused = await p.api('POST', `/api/customers/${alice.id}/deposits`, {
      token: aliceToken,
      body: { amount: 5, assetName: 'AAPL' },
    })
    assert.equal(refused.status, 403, 'a customer deposits TRY only')
  })

  let buyId = ''
  await t.test('when a BUY is placed, then exactly size×price TRY is reserved and the order is CONFIRMED', async () => {
    const res = await order(aliceToken, { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 })
    assert.equal(res.status, 200, 'settled within the wait: the final answer')
    assert.equal(res.body.status, 'CONFIRMED')
    assert.equal(res.headers.get('preference-applied'), 'wait=10')
    buyId = res.body.id
    const b = await balances(p, aliceToken, alice.id)
    assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_000_000, 850_000])
  })

  let sellId = ''
  await t.test('when a SELL is placed, then exactly size units are reserved', async () => {
    const res = await order(aliceToken, { customerId: alice.id, assetName: 'AAPL', side: 'SELL', size: 20, price: 16_000 })
    assert.equal(res.status, 200)
    assert.equal(res.body.status, 'CONFIRMED')
    sellId = res.body.id
    const b = await balances(p, aliceToken, alice.id)
    assert.deepEqual([b.AAPL!.size, b.AAPL!.usableSize], [50, 30])
  })

  await t.test('when funds are short, then the order is REJECTED with a reason and nothing is reserved', async () => {
    const res = await order(aliceToken, { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1_000, price: 10_000 })
    assert.ok([200, 202].includes(res.status))
    const o = res.body.status === 'REJECTED' ? res.body : await orderStatus(p, aliceToken, res.body.id, ['REJECTED'])
    assert.equal(o.status, 'REJECTED')
    assert.match(String(o.rejectionReason), /INSUFFICIENT/)
    const b = await balances(p, aliceToken, alice.id)
    assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_000_000, 850_000])
  })

  await t.test('when orders are cancelled, then usableSize is restored exactly and the history shows every step', async () => {
    assert.equal((await p.api('DELETE', `/api/orders/${buyId}`, { token: aliceToken })).status < 300, true)
    assert.equal((await p.api('DELETE', `/api/orders/${sellId}`, { token: aliceToken })).status < 300, true)
    await orderStatus(p, aliceToken, buyId, ['CANCELED'])
    await orderStatus(p, aliceToken, sellId, ['CANCELED'])
    const b = await until(
      'reservations released',
      () => balances(p, aliceToken, alice.id),
      (x) => x.TRY!.usableSize === 1_000_000 && x.AAPL!.usableSize === 50,
    )
    assert.deepEqual([b.TRY!.size, b.AAPL!.size], [1_000_000, 50])
    const o = (await p.api('GET', `/api/orders/${buyId}`, { token: aliceToken })).body
    const statuses = o.history.map((h: { status: string }) => h.status)
    assert.equal(statuses[0], 'PENDING')
    assert.ok(statuses.includes('CONFIRMED'))
    assert.equal(statuses.at(-1), 'CANCELED')
    const again = await p.api('DELETE', `/api/orders/${buyId}`, { token: aliceToken })
    assert.equal(again.status, 409)
    assert.equal(again.body.error.code, 'CONFLICT')
  })

  await t.test('when orders are listed, then every filter, date range and page works, newest first', async () => {
    const from = new Date().toISOString()
    const ids: string[] = []
    for (const [side, size] of [
      ['BUY', 1],
      ['BUY', 2],
      ['SELL', 3],
    ] as const) {
      const res = await order(aliceToken, { customerId: alice.id, assetName: 'MSFT', side, size, price: 100 })
      ids.push(res.body.id)
    }
    const list = async (q: string) => (await p.api('GET', `/api/orders?customerId=${alice.id}&${q}`, { token: aliceToken })).body
    const all = await list('assetName=MSFT')
    assert.equal(all.totalElements, 3)
    assert.deepEqual(
      all.content.map((o: { id: string }) => o.id),
      [...ids].reverse(),
    )
    assert.equal((await list('assetName=MSFT&side=BUY')).totalElements, 2)
    const page = await list('assetName=MSFT&page=1&size=2')
    assert.deepEqual([page.page, page.size, page.totalElements, page.content.length], [1, 2, 3, 1])
    assert.equal(page.content[0].id, ids[0])
    assert.equal((await list(`startDate=${encodeURIComponent(from)}&assetName=MSFT`)).totalElements, 3)
    assert.equal((await list(`endDate=${encodeURIComponent(from)}&assetName=MSFT`)).totalElements, 0)
    const canceled = await list('status=CANCELED')
    assert.deepEqual(canceled.content.map((o: { id: string }) => o.id).sort(), [buyId, sellId].sort())
  })

  await t.test("when a customer asks for another customer's data, then it answers 404 and never lists it", async () => {
    for (const path of [
      `/api/orders/${buyId}`,
      `/api/customers/${alice.id}`,
      `/api/assets?customerId=${alice.id}`,
      `/api/customers/${alice.id}/movements`,
    ]) {
      const res = await p.api('GET', path, { token: bobToken })
      assert.equal(res.status, 404, path)
      assert.equal(res.body.error.code, 'NOT_FOUND')
    }
    assert.equal((await p.api('DELETE', `/api/orders/${buyId}`, { token: bobToken })).status, 404)
    assert.equal((await order(bobToken, { customerId: alice.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 1 })).status, 404)
    const bobList = await p.api('GET', '/api/orders', { token: bobToken })
    assert.equal(bobList.status, 200)
    assert.ok(bobList.body.content.every((o: { customerId: string }) => o.customerId === bob.id))
  })

  await t.test('when a broker signs in, then it sees and acts on its assigned customers only', async () => {
    const broker = await p.api('POST', '/api/brokers', {
      token: admin,
      body: { name: 'Broker B', email: 'broker-b@example.com', password: 'broker-password' },
    })
    assert.equal(broker.status, 201)
    const brokerToken = await p.login('broker-b@example.com', 'broker-password')
    const carol = await createCustomer(p, brokerToken, { name: 'Carol' })
    assert.equal((await p.api('GET', `/api/customers/${carol.id}`, { token: brokerToken })).body.brokerId, broker.body.id)
    assert.equal((await p.api('GET', `/api/customers/${alice.id}`, { token: brokerToken })).status, 404)
    await deposit(p, brokerToken, carol.id, 10_000)
    const res = await order(brokerToken, { customerId: carol.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 })
    assert.equal(res.body.status, 'CONFIRMED')
    const list = await p.api('GET', '/api/orders', { token: brokerToken })
    assert.ok(list.body.totalElements >= 1)
    assert.ok(list.body.content.every((o: { customerId: string }) => o.customerId === carol.id))
    const customers = await p.api('GET', '/api/customers', { token: brokerToken })
    assert.deepEqual(
      customers.body.content.map((c: { id: string }) => c.id),
      [carol.id],
    )
    assert.equal((await p.api('PUT', `/api/customers/${carol.id}/tier`, { token: brokerToken, body: { tier: 'VIP' } })).status, 403)
  })

  await t.test(
    'when a customer withdraws, then the amount is reserved, paid out and leaves the balance; too much is rejected',
    async () => {
      const start = (await balances(p, aliceToken, alice.id)).TRY!
      const res = await p.api('POST', `/api/customers/${alice.id}/withdrawals`, {
        token: aliceToken,
        body: { amount: 100_000, iban: IBAN },
      })
      assert.equal(res.status, 202)
      const movementId = res.body.id
      await until(
        'withdrawal completed',
        async () => (await p.api('GET', `/api/customers/${alice.id}/movements`, { token: aliceToken })).body,
        (m) => (m.content ?? m).some((x: { id: string; status: string }) => x.id === movementId && x.status === 'COMPLETED'),
      )
      const b = await until(
        'balance after withdrawal',
        () => balances(p, aliceToken, alice.id),
        (x) => x.TRY!.size === start.size - 100_000,
      )
      assert.equal(b.TRY!.usableSize, start.usableSize - 100_000)
      const noIban = await p.api('POST', `/api/customers/${alice.id}/withdrawals`, { token: aliceToken, body: { amount: 1 } })
      assert.equal(noIban.status, 400)
      const tooMuch = await p.api('POST', `/api/customers/${alice.id}/withdrawals`, {
        token: aliceToken,
        body: { amount: 5_000_000, iban: IBAN },
      })
      assert.equal(tooMuch.status, 202)
      await until(
        'withdrawal rejected',
        async () => (await p.api('GET', `/api/customers/${alice.id}/movements`, { token: aliceToken })).body,
        (m) => (m.content ?? m).some((x: { id: string; status: string }) => x.id === tooMuch.body.id && x.status === 'REJECTED'),
      )
      const after = await balances(p, aliceToken, alice.id)
      assert.deepEqual([after.TRY!.size, after.TRY!.usableSize], [start.size - 100_000, start.usableSize - 100_000])
    },
  )

  await t.test('when an Idempotency-Key is reused, then the first response comes back and only one order exists', async () => {
    const body = { customerId: alice.id, assetName: 'IDEM', side: 'BUY', size: 1, price: 10 }
    const first = await order(aliceToken, body, { 'idempotency-key': 'key-1' })
    const second = await order(aliceToken, body, { 'idempotency-key': 'key-1' })
    assert.equal(second.body.id, first.body.id)
    assert.equal(second.headers.get('idempotent-replayed'), 'true')
    const other = await order(aliceToken, { ...body, size: 2 }, { 'idempotency-key': 'key-1' })
    assert.equal(other.status, 422)
    assert.equal(other.body.error.code, 'IDEMPOTENCY_KEY_REUSED')
    const list = await p.api('GET', `/api/orders?customerId=${alice.id}&assetName=IDEM`, { token: aliceToken })
    assert.equal(list.body.totalElements, 1)
  })

  await t.test('when every balance is summed, then each asset holds exactly what was deposited minus what was withdrawn', async () => {
    const assets = p.db('asset')
    const customers = p.db('customer')
    const { rows: held } = await assets.query<{ asset_name: string; total: string }>(
      'SELECT asset_name, sum(size)::text AS total FROM balances GROUP BY asset_name',
    )
    const { rows: moved } = await customers.query<{ asset_name: string; net: string }>(
      `SELECT asset_name, sum(CASE WHEN kind = 'DEPOSIT' THEN amount ELSE -amount END)::text AS net FROM movements WHERE status = 'COMPLETED' GROUP BY asset_name`,
    )
    assert.deepEqual(
      Object.fromEntries(held.map((r) => [r.asset_name, Number(r.total)])),
      Object.fromEntries(moved.map((r) => [r.asset_name, Number(r.net)])),
    )
  })

  await t.test('when every test above has run, then the asset service finds every asset conserved (MARKET included)', async () => {
    assert.deepEqual(await p.conservation(), [])
  })
})
