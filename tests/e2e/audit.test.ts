import { createHash } from 'node:crypto'
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until } from './helpers.js'

// The audit service on real processes through the gateway: an order's whole saga in its
// trace, a customer kept to their own trail, the compliance report reconciled with the asset
// service's balances, a customer shown only their own side of a trade, the security trail of
// sign-ins and sessions, and bad input refused in the error shape.

const EVENTS_OF_GATEWAY = ['SignedIn', 'SignInFailed', 'SessionRefreshed', 'SessionsEnded', 'PasswordChanged']

test('the audit trail through the gateway on real processes', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const ada = await createCustomer(p, admin, { name: 'Ada' })
  const bo = await createCustomer(p, admin, { name: 'Bo' })
  const adaToken = await p.login(ada.email, ada.password)
  const boToken = await p.login(bo.email, bo.password)
  await deposit(p, admin, ada.id, 1_000_000)
  await deposit(p, admin, bo.id, 50, 'AAPL')

  const place = async (customerId: string, side: 'BUY' | 'SELL', size: number, price: number) => {
    const res = await p.api('POST', '/api/orders', {
      token: admin,
      body: { customerId, assetName: 'AAPL', side, size, price },
      headers: { prefer: 'wait=10' },
    })
    assert.equal(res.body.status, 'CONFIRMED', JSON.stringify(res.body))
    return res.body.id as string
  }
  const trail = (query: string, token = admin) => p.api('GET', `/api/audit/events?${query}&size=100`, { token })
  const bought = await place(ada.id, 'BUY', 10, 15_000)
  assert.equal((await p.api('POST', `/api/orders/${bought}/match`, { token: admin })).status, 202)
  await orderStatus(p, admin, bought, ['MATCHED'])
  const sold = await place(bo.id, 'SELL', 5, 16_000)
  assert.equal((await p.api('POST', `/api/orders/${sold}/match`, { token: admin })).status, 202)
  await orderStatus(p, admin, sold, ['MATCHED'])

  await t.test('when an order has filled, then its trace shows the whole saga in causal order with the time of each step', async () => {
    const saga = [
      'OrderCreated',
      'AssetReserved',
      'OrderConfirmed',
      'MatchRequested',
      'OrderMatched',
      'AssetTransferred',
      'SettlementCompleted',
    ]
    const res = await until(
      'the saga in the audit log',
      () => trail(`orderId=${bought}`),
      (r) => r.status === 200 && saga.every((type) => r.body.content.some((e: { type: string }) => e.type === type)),
    )
    const steps = res.body.content as Array<{
      type: string
      service: string
      occurredAt: string
      sincePreviousMs: number
      eventId: string
      causationId: string | null
    }>
    const types = steps.map((e) => e.type)
    for (const [i, type] of saga.entries())
      if (i > 0) assert.ok(types.indexOf(type) > types.indexOf(saga[i - 1]!), `${type} after ${saga[i - 1]}: ${types}`)
    assert.equal(steps[0]!.sincePreviousMs, 0)
    for (const [i, s] of steps.entries()) {
      if (i > 0) assert.equal(s.sincePreviousMs, Date.parse(s.occurredAt) - Date.parse(steps[i - 1]!.occurredAt))
      if (s.causationId) {
        const cause = steps.findIndex((c) => c.eventId === s.causationId)
        if (cause >= 0) assert.ok(cause < i, `${s.type} comes after its cause`)
      }
    }
    assert.equal(steps.find((s) => s.type === 'AssetReserved')!.service, 'asset')
    assert.equal(steps.find((s) => s.type === 'OrderMatched')!.service, 'processor')
    // The same saga by its correlation id.
    const created = steps.find((s) => s.type === 'OrderCreated') as unknown as { correlationId: string }
    const byCorrelation = await trail(`correlationId=${encodeURIComponent(created.correlationId)}`)
    assert.ok(byCorrelation.body.content.some((e: { type: string }) => e.type === 'AssetReserved'))
  })

  await t.test(
    "when a customer reads a trail, then they see their own and another customer's order answers 404 as a missing one",
    async () => {
      const own = await trail(`orderId=${bought}`, adaToken)
      assert.equal(own.status, 200)
      assert.ok(own.body.content.length > 0)
      const other = await trail(`orderId=${sold}`, adaToken)
      assert.equal(other.status, 404)
      assert.equal(other.body.error.code, 'NOT_FOUND')
      const otherCustomer = await trail(`customerId=${bo.id}`, adaToken)
      assert.equal(otherCustomer.status, 404)
      const mine = await trail('page=0', boToken)
      assert.equal(mine.status, 200)
      // Every event names Bo, a trade by Bo's own order (its other side is not Bo's to see).
      for (const e of mine.body.content)
        assert.ok(JSON.stringify(e.data).includes(e.type === 'OrderMatched' ? sold : bo.id), `${e.type} names Bo`)
    },
  )

  await t.test(
    "when the compliance report is read, then it lists the period and its closing balances are the asset service's",
    async () => {
      const now = await balances(p, admin, ada.id)
      const report = await until(
        'the report to reach the balances',
        async () => (await p.api('GET', `/api/audit/reports/compliance?customerId=${ada.id}`, { token: admin })).body,
        (r) =>
          r.closing?.length === Object.keys(now).length &&
          r.closing.every((b: { assetName: string; size: number }) => now[b.assetName]?.size === b.size),
      )
      assert.deepEqual(report.opening, [])
      assert.ok(report.lines.some((l: { kind: string; status: string }) => l.kind === 'DEPOSIT' && l.status === 'COMPLETED'))
      assert.ok(report.lines.some((l: { kind: string; orderId: string }) => l.kind === 'TRADE' && l.orderId === bought))
      assert.equal(report.chainIntact, true)
      // Opening + every line's change = closing, in a period that starts after the deposit.
      const deposited = report.lines.find((l: { kind: string }) => l.kind === 'DEPOSIT')
      const from = new Date(Date.parse(deposited.occurredAt) + 1).toISOString()
      const later = (await p.api('GET', `/api/audit/reports/compliance?customerId=${ada.id}&from=${from}`, { token: admin })).body
      assert.deepEqual(later.opening, [{ assetName: 'TRY', size: 1_000_000 }])
      const sum: Record<string, number> = Object.fromEntries(
        later.opening.map((b: { assetName: string; size: number }) => [b.assetName, b.size]),
      )
      for (const l of later.lines) for (const c of l.changes) sum[c.assetName] = (sum[c.assetName] ?? 0) + c.size
      assert.deepEqual(sum, Object.fromEntries(later.closing.map((b: { assetName: string; size: number }) => [b.assetName, b.size])))
      // The same report as CSV.
      const csv = await p.api<string>('GET', `/api/audit/reports/compliance?customerId=${ada.id}&format=csv`, { token: admin })
      assert.equal(csv.status, 200)
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/)
      const rows = csv.body.trim().split('\r\n')
      assert.equal(rows[0]!.split(',')[0], 'record')
      assert.equal(rows.filter((r) => r.startsWith('LINE,')).length, report.lines.length)
      assert.ok(rows.includes(`CLOSING,,,,,,,,TRY,,,,,,,,${now.TRY!.size}`), rows.join('\n'))
      assert.match(rows.at(-1)!, /^CHAIN,.*INTACT/)
    },
  )

  await t.test('when analytics are read, then the trades, statuses and saga durations are counted', async () => {
    const res = await p.api('GET', '/api/audit/analytics', { token: admin })
    assert.equal(res.status, 200)
    const aapl = res.body.volume.filter((v: { assetName: string }) => v.assetName === 'AAPL')
    assert.equal(
      aapl.reduce((s: number, v: { size: number }) => s + v.size, 0),
      15,
    )
    assert.equal(
      aapl.reduce((s: number, v: { notional: number }) => s + v.notional, 0),
      10 * 15_000 + 5 * 16_000,
    )
    assert.deepEqual(res.body.orderStatuses, [{ status: 'MATCHED', orders: 2 }])
    const matched = res.body.sagaDurations.find((s: { name: string }) => s.name === 'CREATED_TO_MATCHED')
    assert.equal(matched.count, 2)
    assert.ok(matched.p50Ms <= matched.p99Ms && matched.p99Ms <= matched.maxMs)
    assert.equal((await p.api('GET', '/api/audit/analytics', { token: adaToken })).status, 403)
  })

  await t.test(
    "when two customers' orders cross, then each one's trace shows only their own side of the trade and the admin's both",
    async () => {
      // After the analytics subtest: these orders are not part of its counts.
      await deposit(p, admin, bo.id, 10, 'MSFT')
      assert.equal((await p.api('PUT', '/api/markets/MSFT', { token: admin, body: { crossing: true } })).status, 200)
      const engine = p.db('order-processor')
      await until(
        'the engine to apply the setting',
        async () => (await engine.query('SELECT crossing FROM books WHERE asset_name = $1', ['MSFT'])).rows[0]?.crossing,
        (c) => c === true,
      )
      const cross = async (customerId: string, side: 'BUY' | 'SELL') => {
        const res = await p.api('POST', '/api/orders', {
          token: admin,
          body: { customerId, assetName: 'MSFT', side, size: 5, price: 10_000 },
          headers: { prefer: 'wait=10' },
        })
        assert.ok(['CONFIRMED', 'PARTIALLY_FILLED', 'MATCHED'].includes(res.body.status), JSON.stringify(res.body))
        return res.body.id as string
      }
      const sell = await cross(bo.id, 'SELL')
      const buy = await cross(ada.id, 'BUY')
      await orderStatus(p, admin, buy, ['MATCHED'])
      await orderStatus(p, admin, sell, ['MATCHED'])
      const matched = (r: { body: { content: Array<{ type: string; data: { assetName?: string } }> } }) =>
        r.body.content.find((e) => e.type === 'OrderMatched' && e.data?.assetName === 'MSFT')
      const adminView = await until(
        'the trade in the audit log',
        () => trail(`orderId=${buy}`),
        (r) => r.status === 200 && matched(r) !== undefined,
      )
      const both = JSON.stringify(matched(adminView))
      assert.ok(both.includes(bo.id) && both.includes(sell), 'an admin sees both sides')

      for (const [who, token, own, ownOrder, other, otherOrder, side] of [
        ['Ada', adaToken, ada.id, buy, bo.id, sell, 'BUY'],
        ['Bo', boToken, bo.id, sell, ada.id, buy, 'SELL'],
      ] as const) {
        for (const query of [`orderId=${ownOrder}`, `customerId=${own}`, 'page=0']) {
          const res = await until(
            `${who}'s trail to hold the trade`,
            () => trail(query, token),
            (r) => r.status === 200 && matched(r) !== undefined,
          )
          const text = JSON.stringify(res.body)
          assert.ok(!text.includes(other), `${who}'s trail (${query}) names the counterparty ${other}`)
          assert.ok(!text.includes(otherOrder), `${who}'s trail (${query}) names the counterparty's order ${otherOrder}`)
          const data = (matched(res) as unknown as { data: Record<string, unknown> }).data
          assert.equal(data.side, side)
          assert.equal(data.orderId, ownOrder)
          assert.equal(data.size, 5)
          assert.equal(data.price, 10_000)
        }
      }
    },
  )

  await t.test(
    "when an account signs in, fails, refreshes, reuses a refresh token, signs out, changes its password and is suspended, then the customer's trail shows each as a security event with no secret in it",
    async () => {
      const cy = await createCustomer(p, admin, { name: 'Cy', password: 'first-password' })
      type Tokens = { access_token: string; refresh_token: string }
      const signIn = async (password: string) => {
        const res = await p.api<Tokens>('POST', '/api/auth/login', { body: { username: cy.email, password } })
        assert.equal(res.status, 200, JSON.stringify(res.body))
        return res.body
      }
      const first = await signIn('first-password')
      assert.equal((await p.api('POST', '/api/auth/login', { body: { username: cy.email, password: 'wrong-password' } })).status, 401)
      const unknown = `nobody-${cy.id}@example.com`
      assert.equal((await p.api('POST', '/api/auth/login', { body: { username: unknown, password: 'whatever' } })).status, 401)
      const refreshed = await p.api<Tokens>('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })
      assert.equal(refreshed.status, 200)
      assert.equal((await p.api('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })).status, 401)
      const second = await signIn('first-password')
      assert.equal((await p.api('POST', '/api/auth/logout', { token: second.access_token })).status, 204)
      const third = await signIn('first-password')
      const changed = await p.api('POST', '/api/auth/password', {
        token: third.access_token,
        body: { currentPassword: 'first-password', newPassword: 'second-password' },
      })
      assert.equal(changed.status, 204)
      await signIn('second-password')
      assert.equal((await p.api('PUT', `/api/customers/${cy.id}/status`, { token: admin, body: { status: 'SUSPENDED' } })).status, 200)
      assert.equal((await p.api('POST', '/api/auth/login', { body: { username: cy.email, password: 'second-password' } })).status, 403)

      type Step = { type: string; service: string | null; data: Record<string, unknown> }
      const expected: Array<[string, Record<string, unknown>]> = [
        ['SignedIn', {}],
        ['SignInFailed', { reason: 'BAD_CREDENTIALS' }],
        ['SessionRefreshed', {}],
        ['SessionsEnded', { reason: 'REFRESH_TOKEN_REUSED', endedBy: null }],
        ['SessionsEnded', { reason: 'SIGNED_OUT', endedBy: cy.id }],
        ['PasswordChanged', {}],
        ['SessionsEnded', { reason: 'PASSWORD_CHANGED', endedBy: cy.id }],
        ['CustomerStatusChanged', { status: 'SUSPENDED' }],
        ['SessionsEnded', { reason: 'SUSPENDED', endedBy: 'admin' }],
        ['SignInFailed', { reason: 'SUSPENDED' }],
      ]
      const has = (steps: Step[], [type, fields]: [string, Record<string, unknown>]) =>
        steps.some((e) => e.type === type && Object.entries(fields).every(([k, v]) => e.data[k] === v))
      const res = await until(
        "the security events in Cy's trail",
        () => trail(`customerId=${cy.id}`),
        (r) => r.status === 200 && expected.every((x) => has(r.body.content, x)),
      )
      const steps = res.body.content as Step[]
      for (const e of steps.filter((s) => EVENTS_OF_GATEWAY.includes(s.type))) {
        assert.equal(e.service, 'gateway')
        assert.equal(e.data.accountId, cy.id)
        assert.equal(e.data.customerId, cy.id)
        assert.equal(e.data.role, 'CUSTOMER')
        assert.equal(typeof e.data.address, 'string')
      }
      // Each sign-in's session is the one its end names.
      const signedIn = steps.filter((s) => s.type === 'SignedIn').map((s) => s.data.sessionId)
      assert.equal(signedIn.length, 4)
      const ended = steps.filter((s) => s.type === 'SessionsEnded').flatMap((s) => s.data.sessionIds as string[])
      assert.deepEqual(new Set(ended), new Set(signedIn))
      // The customer reads their own security trail too.
      const own = await trail('page=0', (await signInAgain()).access_token)
      assert.ok(own.body.content.some((e: Step) => e.type === 'PasswordChanged'))
      // No password, token or username in the log; an unknown username only as its hash.
      const everything = JSON.stringify((await p.db('audit').query('SELECT data, headers, key FROM audit_log')).rows)
      for (const secret of ['first-password', 'second-password', 'wrong-password', first.refresh_token, first.access_token, unknown]) {
        assert.ok(!everything.includes(secret), `the audit log holds ${secret.slice(0, 12)}…`)
      }
      const hash = createHash('sha256').update(unknown).digest('hex')
      const failed = await p
        .db('audit')
        .query(`SELECT data FROM audit_log WHERE type = 'SignInFailed' AND data->>'usernameHash' = $1`, [hash])
      assert.equal(failed.rows.length, 1)
      assert.deepEqual(
        { ...failed.rows[0].data, address: null, failedAt: null },
        { accountId: hash, role: null, customerId: null, usernameHash: hash, reason: 'BAD_CREDENTIALS', address: null, failedAt: null },
      )

      async function signInAgain() {
        await p.api('PUT', `/api/customers/${cy.id}/status`, { token: admin, body: { status: 'ACTIVE' } })
        return signIn('second-password')
      }
    },
  )

  await t.test('when the audit routes get bad input, then 4xx in the error shape', async () => {
    const cases: Array<[string, number]> = [
      ['/api/audit/events', 400],
      ['/api/audit/events?orderId=nope', 400],
      ['/api/audit/events?orderId=' + bought + '&size=1000', 400],
      ['/api/audit/reports/compliance', 400],
      [`/api/audit/reports/compliance?customerId=${ada.id}&format=xml`, 400],
      [`/api/audit/reports/compliance?customerId=${ada.id}&from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z`, 400],
      ['/api/audit/analytics?from=yesterday', 400],
      ['/api/audit/analytics?bogus=1', 400],
    ]
    for (const [url, status] of cases) {
      const res = await p.api('GET', url, { token: admin })
      assert.equal(res.status, status, `${url}: ${JSON.stringify(res.body)}`)
      assert.equal(typeof res.body.error.code, 'string')
      assert.equal(typeof res.body.requestId, 'string')
    }
  })
})
