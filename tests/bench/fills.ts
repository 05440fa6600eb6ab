// npm run bench:fills — crossing orders of many customer pairs filling each other through the
// whole platform as `npm start` runs it (every service its own process, crossing on for BENCH),
// beside pgbench -N TPS on the same server in the same run.
//
// Closed loop: PAIRS workers, each owning one buyer and one seller (VIP customers, so the rate
// limit of 1,000 requests a minute per customer does not cap the load). A worker places a SELL
// and a BUY of 1 BENCH at one price at once (both POSTs without waiting), waits until both are
// MATCHED (one trade each, though not necessarily with each other: every order crosses at the
// same price), then places the next pair, for SECONDS per run. Each order's latency runs from
// just before its POST to the order service's own MATCHED time (orders.updated_at, same clock):
// the whole saga — reservation, engine, settlement on both legs, the order moving to MATCHED.
// MATCHED is observed by polling the order database, which only paces the loop; the latency
// comes from the stored time. An order not MATCHED within WAIT s counts as infinitely late.
// fills/s = trades settled (BUY orders MATCHED) / (first send → last MATCHED).
//
//   RUNS (3), SECONDS (10), PAIRS (16), WAIT (10 s), PGBENCH_SECONDS (5), PGBENCH_CLIENTS (16)
// Last line: fills_per_s=N p99_ms=L pgbench_tps=M ratio=R (medians over the runs).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, databaseUrl } from '@brokerage/platform/postgres'
import { startServices, stopServices, type RunningService } from '../../scripts/platform.js'
import { TOPOLOGY } from '../../scripts/topology.js'
import { benchServer, call, fmt, percentile, pgbenchTps, pool, sleep, summary, servicePorts } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 10)
const PAIRS = Number(process.env.PAIRS ?? 16)
const WAIT = Number(process.env.WAIT ?? 10)
const PGBENCH_SECONDS = Number(process.env.PGBENCH_SECONDS ?? 5)
const PGBENCH_CLIENTS = Number(process.env.PGBENCH_CLIENTS ?? 16)
const DB_PREFIX = 'benchfills'
const ASSET = 'BENCH'
const PRICE = 100
const POLL_MS = 10

interface Customer {
  id: string
  token: string
}

interface Run {
  tps: number
  fills: number
  fillsPerS: number
  p50: number
  p99: number
  notMatched: number
}

const server = await benchServer()
const logDir = await mkdtemp(join(tmpdir(), 'bench-fills-logs-'))
let services: RunningService[] = []
const dbOf = (service: string) =>
  createDb({
    url: databaseUrl(server.url, `${DB_PREFIX}_${TOPOLOGY.find((s) => s.name === service)!.database}`),
    max: 1,
    applicationName: 'bench',
  })
const closers: Array<() => Promise<void>> = []
try {
  const ports = await servicePorts()
  services = await startServices({ serverUrl: server.url, logDir, ports, databasePrefix: DB_PREFIX, env: { LOG_LEVEL: 'warn' } })
  const url = services.find((s) => s.spec.name === 'gateway')!.httpUrl
  const orders = dbOf('order')
  const engine = dbOf('order-processor')
  closers.push(
    () => orders.close(),
    () => engine.close(),
  )

  const adminToken = (await call(url, 'POST', '/api/auth/login', null, { username: 'admin', password: 'admin' })).access_token as string
  await call(url, 'PUT', `/api/markets/${ASSET}`, adminToken, { crossing: true })
  while (!(await engine.query('SELECT crossing FROM books WHERE asset_name = $1', [ASSET])).rows[0]?.crossing) await sleep(100)

  const t0 = performance.now()
  /** A VIP customer holding `amount` of `asset`, landed before the load. */
  async function customer(i: number, role: string, asset: string, amount: number): Promise<Customer> {
    const email = `bench-${role}-${i}-${Date.now()}@example.com`
    const c = await call(url, 'POST', '/api/customers', adminToken, {
      name: `Bench ${role} ${i}`,
      email,
      password: 'bench-password',
      tier: 'VIP',
    })
    await call(url, 'POST', `/api/customers/${c.id}/deposits`, adminToken, { amount, assetName: asset })
    const token = (await call(url, 'POST', '/api/auth/login', null, { username: email, password: 'bench-password' })).access_token
    for (;;) {
      const b = (await call(url, 'GET', `/api/assets?customerId=${c.id}`, adminToken)) as Array<{ assetName: string; usableSize: number }>
      if (b.some((x) => x.assetName === asset && x.usableSize > 0)) return { id: c.id, token }
      await sleep(100)
    }
  }
  const pairs: Array<{ buyer: Customer; seller: Customer }> = []
  await pool(
    Array.from({ length: PAIRS }, (_, i) => i),
    4,
    async (i) => {
      pairs.push({ buyer: await customer(i, 'buyer', 'TRY', 1_000_000_000_000), seller: await customer(i, 'seller', ASSET, 1_000_000_000) })
    },
  )
  console.log(`${PAIRS} customer pairs (VIP) in ${fmt((performance.now() - t0) / 1000, 1)} s`)

  // One poller for every worker: the orders still awaited, by id, and who waits for each.
  const awaited = new Map<string, (end: { status: string; at: number }) => void>()
  let polling = true
  const poller = (async () => {
    while (polling) {
      if (awaited.size) {
        const { rows } = await orders.query<{ id: string; status: string; updated_at: Date }>(
          `SELECT id, status, updated_at FROM orders WHERE id = ANY($1::uuid[]) AND status IN ('MATCHED', 'REJECTED', 'CANCELED', 'FAILED')`,
          [[...awaited.keys()]],
        )
        for (const r of rows) {
          awaited.get(r.id)?.({ status: r.status, at: r.updated_at.getTime() })
          awaited.delete(r.id)
        }
      }
      await sleep(POLL_MS)
    }
  })()

  /** One order: POSTed, then followed to a final status; its latency (or Infinity) and whether it is a MATCHED BUY. */
  async function order(c: Customer, side: 'BUY' | 'SELL'): Promise<{ ms: number; filledBuy: boolean; at: number }> {
    const sent = Date.now()
    const res = await fetch(`${url}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customerId: c.id, assetName: ASSET, side, size: 1, price: PRICE }),
    })
    const placed = (await res.json()) as { id: string }
    if (res.status !== 202) throw new Error(`POST /api/orders: ${res.status} ${JSON.stringify(placed)}`)
    const end = await Promise.race([
      new Promise<{ status: string; at: number }>((resolve) => awaited.set(placed.id, resolve)),
      sleep(WAIT * 1000).then(() => ({ status: 'LATE', at: NaN })),
    ])
    awaited.delete(placed.id)
    if (end.status !== 'MATCHED') return { ms: Infinity, filledBuy: false, at: NaN }
    return { ms: end.at - sent, filledBuy: side === 'BUY', at: end.at }
  }

  async function run(seconds: number): Promise<Omit<Run, 'tps'>> {
    const latencies: number[] = []
    let fills = 0
    let lastMatched = 0
    const start = Date.now()
    const stopAt = performance.now() + seconds * 1000
    await Promise.all(
      pairs.map(async ({ buyer, seller }) => {
        while (performance.now() < stopAt) {
          for (const r of await Promise.all([order(seller, 'SELL'), order(buyer, 'BUY')])) {
            latencies.push(r.ms)
            if (r.filledBuy) fills++
            if (r.at > lastMatched) lastMatched = r.at
          }
        }
      }),
    )
    const sorted = latencies.sort((a, b) => a - b)
    return {
      fills,
      fillsPerS: fills / ((lastMatched - start) / 1000),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      notMatched: sorted.filter((x) => x === Infinity).length,
    }
  }

  console.log('warm-up: 3 s')
  await run(3)
  const results: Run[] = []
  for (let i = 1; i <= RUNS; i++) {
    const tps = await pgbenchTps(server.url, { seconds: PGBENCH_SECONDS, clients: PGBENCH_CLIENTS })
    const r = { tps, ...(await run(SECONDS)) }
    results.push(r)
    console.log(
      `run ${i}/${RUNS}: pgbench -N -c ${PGBENCH_CLIENTS} ${fmt(tps)} tps; ${r.fills} fills in ${SECONDS} s, ${fmt(r.fillsPerS, 1)} fills/s, ` +
        `create→MATCHED p50 ${fmt(r.p50)} ms p99 ${fmt(r.p99)} ms` +
        (r.notMatched ? `, ${r.notMatched} orders not MATCHED within ${WAIT} s` : ''),
    )
  }
  polling = false
  await poller

  const show = (name: string, v: number[], d = 0) => {
    const s = summary(v)
    console.log(`${name.padEnd(30)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  const med = (v: number[], d = 0) => fmt(summary(v).median, d)
  const rates = results.map((r) => r.fillsPerS)
  const p99s = results.map((r) => r.p99)
  const tpss = results.map((r) => r.tps)
  const ratios = results.map((r) => r.fillsPerS / r.tps)
  console.log(
    `\nsummary over ${RUNS} runs (closed loop, ${PAIRS} pairs, ${SECONDS} s each, pgbench -N -c ${PGBENCH_CLIENTS} ${PGBENCH_SECONDS} s)`,
  )
  show('fills/s', rates, 1)
  show(
    'p50 ms create→MATCHED',
    results.map((r) => r.p50),
  )
  show('p99 ms create→MATCHED', p99s)
  show('pgbench -N tps', tpss)
  show('ratio fills/pgbench', ratios, 3)
  console.log(`fills_per_s=${med(rates, 1)} p99_ms=${med(p99s)} pgbench_tps=${med(tpss)} ratio=${med(ratios, 3)}`)
} finally {
  for (const close of closers) await close()
  await stopServices(services)
  await server.stop()
  await rm(logDir, { recursive: true, force: true })
}
