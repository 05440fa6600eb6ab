import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until } from './helpers.js'

const run = promisify(execFile)
const DLQ_CLI = fileURLToPath(new URL('../../packages/platform/src/cli/dlq.ts', import.meta.url))

test('the races of SPEC §4, provoked on real processes', async (t) => {
  const p = await startPlatform(t, { serviceEnv: { order: { RESERVATION_TIMEOUT_MS: '3000', RESERVATION_SWEEP_INTERVAL_MS: '200' } } })
  const admin = await p.login('admin', 'admin')
  const dave = await createCustomer(p, admin, { name: 'Dave', tier: 'VIP' })
  const token = await p.login(dave.email, dave.password)
  await deposit(p, token, dave.id, 1_000_000)
  const assets = p.db('asset')
  const reservation = async (orderId: string) =>
    (await assets.query('SELECT reserved_amount, held_amount, released_amount FROM order_reservations WHERE order_id = $1', [orderId]))
      .rows[0]
  const buy = (size: number, price: number) =>
    p.api('POST', '/api/orders', { token, body: { customerId: dave.id, assetName: 'AAPL', side: 'BUY', size, price } })

  await t.test('when an order is cancelled before its reservation lands, then it stays CANCELED and nothing stays reserved', async () => {
    await p.stop('asset')
    const placed = await buy(10, 1_000)
    assert.equal(placed.body.status, 'PENDING')
    const cancelled = await p.api('DELETE', `/api/orders/${placed.body.id}`, { token })
    assert.ok(cancelled.status < 300, JSON.stringify(cancelled.body))
    await orderStatus(p, token, placed.body.id, ['CANCELED'])
    await p.restart('asset')
    // The asset service now reads OrderCreated and then OrderCancelled: it reserves, then releases.
    const r = await until(
      'the late reservation to be released',
      () => reservation(placed.body.id),
      (x) => x?.released_amount === 10_000,
    )
    assert.deepEqual([r.reserved_amount, r.held_amount], [10_000, 0])
    const b = await balances(p, token, dave.id)
    assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_000_000, 1_000_000])
    const o = (await p.api('GET', `/api/orders/${placed.body.id}`, { token })).body
    assert.equal(o.status, 'CANCELED')
    assert.ok(!o.history.some((h: { status: string }) => h.status === 'CONFIRMED'))
  })

  await t.test(
    'when the reservation step never answers, then the order times out REJECTED and a late reservation is released',
    async () => {
      await p.stop('asset')
      const placed = await buy(5, 2_000)
      const o = await orderStatus(p, token, placed.body.id, ['REJECTED'])
      assert.match(o.rejectionReason, /RESERVATION_TIMEOUT/)
      await p.restart('asset')
      const r = await until(
        'the late reservation to be released',
        () => reservation(placed.body.id),
        (x) => x?.released_amount === 10_000,
      )
      assert.equal(r.held_amount, 0)
      const b = await balances(p, token, dave.id)
      assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_000_000, 1_000_000])
    },
  )

  await t.test('when the same event is delivered twice, then its effect applies once', async () => {
    await deposit(p, token, dave.id, 5_000)
    const bus = await createPgLogBus({ url: p.busUrl })
    t.after(() => bus.close())
    const { rows } = await bus.db.query(
      `SELECT topic, partition, "offset", key, value, headers FROM bus_log
       WHERE topic = 'customer.events' AND key = $1 AND headers->>'event-type' = 'DepositRequested' ORDER BY "offset" DESC LIMIT 1`,
      [dave.id],
    )
    const original = rows[0]!
    await bus.publish([{ topic: original.topic, key: original.key, value: original.value, headers: original.headers }])
    const end = (await bus.lag('asset-service', ['customer.events'])).find((x) => x.partition === original.partition)!.endOffset
    await until(
      'the asset service to consume the copy',
      async () => (await bus.lag('asset-service', ['customer.events'])).find((x) => x.partition === original.partition)!,
      (x) => x.committed >= end,
    )
    const b = await balances(p, token, dave.id)
    assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_005_000, 1_005_000])
  })

  await t.test(
    'when a service is killed between its commits and their publish, then its restart publishes them, nothing lost or doubled',
    async () => {
      const customers = p.db('customer')
      const before = (await balances(p, token, dave.id)).TRY!.size
      const accepted: string[] = []
      let pendingAtKill = 0
      // Requests keep coming; the moment committed events sit unpublished in the outbox, the process dies.
      await Promise.race([
        (async () => {
          for (let i = 0; i < 200; i++) {
            const res = await p.api('POST', `/api/customers/${dave.id}/deposits`, { token: admin, body: { amount: 100 } }).catch(() => null)
            if (res?.status === 202) accepted.push(res.body.id)
            else break
          }
        })(),
        (async () => {
          pendingAtKill = Number(
            await until(
              'committed events waiting in the outbox',
              async () => (await customers.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n,
              (n) => n > 0,
            ),
          )
          await p.kill('customer')
        })(),
      ])
      await p.restart('customer')
      const { rows } = await customers.query(
        `SELECT count(*)::int AS n FROM movements WHERE customer_id = $1 AND kind = 'DEPOSIT' AND amount = 100`,
        [dave.id],
      )
      const committed = rows[0].n
      assert.ok(committed >= accepted.length && committed > 0, `${committed} committed, ${accepted.length} acknowledged`)
      assert.ok(pendingAtKill > 0)
      const b = await until(
        'every committed deposit to land once',
        () => balances(p, token, dave.id),
        (x) => x.TRY!.size === before + committed * 100,
      )
      assert.equal(b.TRY!.usableSize, b.TRY!.size)
      await until(
        'every movement COMPLETED',
        async () =>
          (await customers.query(`SELECT count(*)::int AS n FROM movements WHERE customer_id = $1 AND status <> 'COMPLETED'`, [dave.id]))
            .rows[0].n,
        (n) => n === 0,
      )
    },
  )

  await t.test(
    'when a poison message reaches a topic, then it is dead-lettered after bounded retries, the partition keeps flowing, and it can be replayed',
    async () => {
      const bus = await createPgLogBus({ url: p.busUrl })
      t.after(() => bus.close())
      await bus.publish([
        { topic: 'order.events', key: dave.id, value: Buffer.from('this is not an event'), headers: { 'event-type': 'Garbage' } },
      ])
      const after = await p.api('POST', '/api/orders', {
        token,
        body: { customerId: dave.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 100 },
        headers: { prefer: 'wait=10' },
      })
      assert.equal(after.body.status, 'CONFIRMED', 'the same partition still flows')
      const env = { ...process.env, BUS_DATABASE_URL: p.busUrl }
      // Every group reading order.events (the asset and notification services) dead-letters it on its own.
      const letters = (out: string) =>
        out
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { key: string; group: string; replayed: boolean; error?: string })
      const listed = await until(
        "the asset service's dead letter",
        async () => letters((await run(process.execPath, ['--import', 'tsx', DLQ_CLI, 'list', 'order.events'], { env })).stdout),
        (all) => all.some((l) => l.group === 'asset-service'),
      )
      const letter = listed.find((l) => l.group === 'asset-service')!
      assert.equal(letter.key, dave.id)
      assert.equal(letter.replayed, false)
      const replay = await run(process.execPath, ['--import', 'tsx', DLQ_CLI, 'replay', 'order.events.dlq'], { env })
      assert.match(replay.stdout, /replayed [1-9]\d* dead letter/)
      const relisted = letters((await run(process.execPath, ['--import', 'tsx', DLQ_CLI, 'list', 'order.events'], { env })).stdout)
      assert.equal(relisted.find((l) => l.group === 'asset-service')!.replayed, true)
    },
  )
})
