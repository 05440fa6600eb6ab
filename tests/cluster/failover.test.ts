import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requireNatsServer, startNatsServers, streamLeaders } from '@brokerage/platform/messaging/nats-server'
import { teardown } from '@brokerage/platform/testing'
import { startPlatform } from '../e2e/harness.js'
import { createCustomer, deposit, until } from '../e2e/helpers.js'

// The whole platform on a 3-node NATS JetStream cluster (every stream and bucket with 3
// replicas), every service as its own process with BUS=nats. Under a steady flow of
// deposits, orders, cancels and fills, the node leading the most streams is killed, then one
// service instance; both come back. Afterwards nothing is lost or doubled.

const FINAL = ['MATCHED', 'REJECTED', 'CANCELED', 'FAILED']
const RESTING = ['CONFIRMED', 'PARTIALLY_FILLED']

if (requireNatsServer('the cluster failover test', process.env.CI === 'true'))
  test('on a 3-node NATS cluster, when the stream leader and then a service are killed mid-flow, then nothing is lost or doubled', async (t) => {
    const cluster = await startNatsServers({ nodes: 3 })
    teardown(t).after(() => cluster.stop())
    const p = await startPlatform(t, { env: { BUS: 'nats', NATS_URL: cluster.url } })
    const admin = await p.login('admin', 'admin')
    const customers = await Promise.all(Array.from({ length: 3 }, (_, i) => createCustomer(p, admin, { name: `Flow ${i}` })))
    const deposited = new Map<string, number>()
    for (const c of customers) {
      await deposit(p, admin, c.id, 50_000_000)
      await deposit(p, admin, c.id, 1_000, 'AAPL')
      deposited.set(c.id, 50_000_000)
    }

    // The flow: each step deposits, places a BUY and a SELL, then cancels one and matches the
    // other. Requests that fail while a node or a service is down are simply not counted;
    // an order that was accepted (201/202) is tracked to its end.
    const orders: string[] = []
    let steps = 0
    let flowing = true
    const flow = (async () => {
      for (let i = 0; flowing; i++) {
        const c = customers[i % customers.length]!
        try {
          const d = await p.api('POST', `/api/customers/${c.id}/deposits`, { token: admin, body: { amount: 1_000 } })
          if (d.status === 202) deposited.set(c.id, deposited.get(c.id)! + 1_000)
          const placed: string[] = []
          for (const side of ['BUY', 'SELL'] as const) {
            const o = await p.api('POST', '/api/orders', {
              token: admin,
              body: { customerId: c.id, assetName: 'AAPL', side, size: 1, price: 10_000 + (i % 7) },
              headers: { prefer: 'wait=2' },
            })
            if (o.status === 200 || o.status === 201 || o.status === 202) placed.push(o.body.id as string)
          }
          orders.push(...placed)
          if (placed[0]) await p.api('DELETE', `/api/orders/${placed[0]}`, { token: admin })
          if (placed[1]) await p.api('POST', `/api/orders/${placed[1]}/match`, { token: admin })
        } catch {
          // The gateway itself may be restarting; the next step tries again.
        }
        steps++
      }
    })()
    const progress = (n: number, what: string) => {
      const target = steps + n
      return until(
        what,
        async () => steps,
        (s) => s >= target,
        120_000,
      )
    }

    try {
      await progress(5, 'the flow to get going')

      // The node that leads the most streams (partitions, offsets, groups) goes down.
      const leaders = await streamLeaders(cluster.url)
      const [leaderName] = [...leaders.entries()].sort((a, b) => b[1] - a[1])[0]!
      const leader = cluster.nodes.find((n) => n.name === leaderName)!
      assert.ok(leader, `the stream leader ${leaderName} is one of ours`)
      await leader.kill()
      await progress(5, 'the flow to go on without the stream leader')
      await leader.start()
      await progress(3, 'the flow to go on after the node is back')

      // Then one service instance: the asset service holds the balances every step touches.
      await p.kill('asset')
      await progress(2, 'the flow to go on (accepting) without the asset service')
      await p.restart('asset')
      await progress(5, 'the flow to go on after the asset service is back')
    } finally {
      flowing = false
      await flow
    }

    // Every accepted order ends final or resting; every accepted deposit lands exactly once.
    for (const id of orders)
      await until(
        `order ${id} to settle`,
        async () => (await p.api('GET', `/api/orders/${id}`, { token: admin })).body,
        (o) => FINAL.includes(o?.status) || RESTING.includes(o?.status),
        120_000,
      )
    const assets = p.db('asset')
    for (const [id, amount] of deposited)
      await until(
        `the deposits of ${id} to land once each`,
        async () =>
          Number(
            (
              await assets.query<{ sum: string }>(
                `SELECT coalesce(sum(amount), 0)::text AS sum FROM deposits WHERE customer_id = $1 AND asset_name = 'TRY'`,
                [id],
              )
            ).rows[0]!.sum,
          ),
        (sum) => sum === amount,
        120_000,
      )
    assert.deepEqual(await p.conservation(), [])

    // No reservation without an open order: what is still held belongs to a resting order.
    const held = await until(
      'reservations of final orders to be released',
      async () => {
        const { rows } = await assets.query<{ order_id: string }>('SELECT order_id FROM order_reservations WHERE held_amount > 0')
        const out: Array<{ id: string; status: string }> = []
        for (const r of rows)
          out.push({ id: r.order_id, status: (await p.api('GET', `/api/orders/${r.order_id}`, { token: admin })).body.status })
        return out
      },
      (rows) => rows.every((r) => RESTING.includes(r.status)),
      60_000,
    )
    assert.ok(held.every((r) => RESTING.includes(r.status)))
    assert.ok(orders.length > 20, `a real flow (${orders.length} orders)`)
  })
