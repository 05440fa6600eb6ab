import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requireNatsServer, startNatsServers, streamLeaders } from '@brokerage/platform/messaging/nats-server'
import { eventually, teardown } from '@brokerage/platform/testing'
import { startPlatform } from '../e2e/harness.js'
import { createCustomer, deposit, until } from '../e2e/helpers.js'

// The whole platform on a 3-node NATS JetStream cluster (every stream and bucket with 3
// replicas), every service as its own process with BUS=nats. Under a steady flow of
// deposits, orders, cancels and fills, the node leading the most streams is killed, then one
// service instance; both come back. Afterwards nothing is lost or doubled.

const FINAL = ['MATCHED', 'REJECTED', 'CANCELED', 'FAILED']
const RESTING = ['CONFIRMED', 'PARTIALLY_FILLED']

if (requireNatsServer('the cluster failover test', process.env.CI === 'true'))
  test(
    'on a 3-node NATS cluster, when the stream leader and then a service are killed mid-flow, then nothing is lost or doubled',
    // Every wait below has its own deadline; this one only bounds their sum.
    { timeout: 30 * 60_000 },
    async (t) => {
      // Whatever happens, the nodes and the services go: a signal (a run cut short) exits through
      // process.exit, whose exit hooks (scripts/platform.ts, nats-server.ts) SIGKILL them.
      for (const [signal, code] of [
        ['SIGINT', 130],
        ['SIGTERM', 143],
        ['SIGHUP', 129],
      ] as const)
        process.once(signal, () => process.exit(code))
      const cluster = await startNatsServers({ nodes: 3 })
      teardown(t).after(() => cluster.stop())
      // The whole flow is the admin's: a staff limit it never reaches, so a 429 is a failure (none is waited out).
      const p = await startPlatform(t, { env: { BUS: 'nats', NATS_URL: cluster.url, RATE_LIMIT_STAFF: '1000000' } })
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
      // an order that was accepted (201/202) is tracked to its end. A step counts as progress only
      // when something in it was accepted. A 429 stops the flow and fails the test: the staff limit
      // is raised above anything the flow can reach.
      const orders: string[] = []
      const seen = new Map<string, number>()
      let steps = 0
      let doing = 'nothing yet'
      let refused: string | undefined
      const stop = new AbortController()
      const api = async (method: string, path: string, init: Parameters<typeof p.api>[2]) => {
        doing = `${method} ${path}`
        const res = await p.api(method, path, init)
        seen.set(String(res.status), (seen.get(String(res.status)) ?? 0) + 1)
        if (res.status === 429) {
          refused ??= `${method} ${path} was refused 429 (limit ${res.headers.get('x-ratelimit-limit')}) though RATE_LIMIT_STAFF is above the flow's rate`
          stop.abort()
        }
        return res
      }
      let ended = false
      const flow = (async () => {
        for (let i = 0; !stop.signal.aborted; i++) {
          const c = customers[i % customers.length]!
          let accepted = false
          try {
            const d = await api('POST', `/api/customers/${c.id}/deposits`, { token: admin, body: { amount: 1_000 } })
            if (d.status === 202) {
              deposited.set(c.id, deposited.get(c.id)! + 1_000)
              accepted = true
            }
            const placed: string[] = []
            for (const side of ['BUY', 'SELL'] as const) {
              const o = await api('POST', '/api/orders', {
                token: admin,
                body: { customerId: c.id, assetName: 'AAPL', side, size: 1, price: 10_000 + (i % 7) },
                headers: { prefer: 'wait=2' },
              })
              if (o.status === 200 || o.status === 201 || o.status === 202) placed.push(o.body.id as string)
            }
            orders.push(...placed)
            if (placed.length) accepted = true
            if (placed[0]) await api('DELETE', `/api/orders/${placed[0]}`, { token: admin })
            if (placed[1]) await api('POST', `/api/orders/${placed[1]}/match`, { token: admin })
          } catch (err) {
            // The gateway itself may be restarting; the next step tries again.
            seen.set(String(err), (seen.get(String(err)) ?? 0) + 1)
          }
          if (accepted) steps++
        }
      })().finally(() => {
        ended = true
      })
      const flowState = () =>
        `${steps} steps, ${orders.length} orders; answers so far ${JSON.stringify(Object.fromEntries(seen))}; last request ${doing}`
      const progress = (n: number, what: string) => {
        const target = steps + n
        return until(
          what,
          async () => steps,
          (s) => s >= target || refused !== undefined,
          180_000,
        ).then(
          () => {
            if (refused) throw new Error(`${refused} (the flow: ${flowState()})`)
          },
          (err: Error) => {
            throw new Error(`${err.message} (${n} more steps from ${target - n}; the flow: ${flowState()})`)
          },
        )
      }
      // The flow stops in teardown too, should the test fail before it stops it.
      teardown(t).after(() => stop.abort())

      let failure: unknown
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
      } catch (err) {
        failure = err
      }
      stop.abort()
      // A step's requests are bounded by the gateway's own deadlines; this bounds the wait should it not answer at all.
      const flowEnded = await eventually(() => ended, { timeoutMs: 120_000 }).then(
        () => true,
        () => false,
      )
      if (failure) throw failure
      if (!flowEnded) throw new Error(`timed out waiting for the last step of the flow to end (the flow: ${flowState()})`)
      await flow
      if (refused) throw new Error(`${refused} (the flow: ${flowState()})`)

      // Every accepted order ends final or resting; every accepted deposit lands exactly once.
      // Orders are read from the order service's database: what it stores is what the API answers.
      const orderDb = p.db('order')
      const statusesOf = async (ids: string[]) => {
        const { rows } = await orderDb.query<{ id: string; status: string }>('SELECT id, status FROM orders WHERE id = ANY($1::uuid[])', [
          ids,
        ])
        const found = new Map(rows.map((r) => [r.id, r.status]))
        return ids.map((id) => ({ id, status: found.get(id) ?? 'not in the order database' }))
      }
      let statuses: Array<{ id: string; status: string }> = []
      await settle(
        'every accepted order to end final or resting',
        async () => {
          statuses = await statusesOf(orders)
        },
        () => {
          const open = statuses.filter((r) => !(FINAL.includes(r.status) || RESTING.includes(r.status)))
          return open.length ? `${open.length} of ${statuses.length} not settled: ${JSON.stringify(open.slice(0, 20))}` : undefined
        },
        300_000,
      )
      const assets = p.db('asset')
      const landed = new Map<string, number>()
      await settle(
        'the deposits to land once each',
        async () => {
          for (const id of deposited.keys())
            landed.set(
              id,
              Number(
                (
                  await assets.query<{ sum: string }>(
                    `SELECT coalesce(sum(amount), 0)::text AS sum FROM deposits WHERE customer_id = $1 AND asset_name = 'TRY'`,
                    [id],
                  )
                ).rows[0]!.sum,
              ),
            )
        },
        () => {
          const off = [...deposited].filter(([id, amount]) => landed.get(id) !== amount)
          return off.length
            ? `landed ≠ accepted: ${JSON.stringify(off.map(([id, amount]) => ({ id, accepted: amount, landed: landed.get(id) })))}`
            : undefined
        },
        120_000,
      )
      assert.deepEqual(await p.conservation(), [])

      // No reservation without an open order: what is still held belongs to a resting order.
      let held: Array<{ id: string; status: string }> = []
      await settle(
        'reservations of final orders to be released',
        async () => {
          const { rows } = await assets.query<{ order_id: string }>('SELECT order_id FROM order_reservations WHERE held_amount > 0')
          held = await statusesOf(rows.map((r) => r.order_id))
        },
        () => {
          const wrong = held.filter((r) => !RESTING.includes(r.status))
          return wrong.length ? `held for orders not resting: ${JSON.stringify(wrong.slice(0, 20))}` : undefined
        },
        120_000,
      )
      assert.ok(held.every((r) => RESTING.includes(r.status)))
      assert.ok(orders.length > 20, `a real flow (${orders.length} orders)`)
    },
  )

/**
 * Re-reads (`read`) until `wrong` finds nothing wrong, or fails after `timeoutMs` naming what it
 * waited for and what was wrong at the last read.
 */
async function settle(what: string, read: () => Promise<void>, wrong: () => string | undefined, timeoutMs: number) {
  let last = 'nothing read yet'
  await eventually(
    async () => {
      await read()
      const w = wrong()
      if (w) last = w
      return !w
    },
    { what, timeoutMs },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; at the last read: ${last}`)
  })
}
