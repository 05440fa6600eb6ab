// npm run bench:orders — orders accepted through the gateway and reaching CONFIRMED, on the
// whole platform (every service its own process, as `npm start` runs them), beside pgbench -N
// TPS on the same PostgreSQL in the same run.
//   RUNS (3), SECONDS (10) per run, CLIENTS (16) concurrent HTTP clients, CUSTOMERS (40, VIP).
// Each order is POSTed with `Prefer: wait=10`, so its latency is create → CONFIRMED.
// Last line: orders_per_s=N p99_ms=L pgbench_tps=M ratio=R (medians over the runs).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@brokerage/platform/testing'
import { existingServices, startServices, stopServices } from '../../scripts/platform.js'
import { benchServer, fmt, percentile, pgbenchTps, summary } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 10)
const CLIENTS = Number(process.env.CLIENTS ?? 16)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 40)

async function call(url: string, method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const json = (await res.json().catch(() => null)) as any
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

const server = await benchServer()
const logDir = await mkdtemp(join(tmpdir(), 'bench-orders-logs-'))
const ports: Record<string, { http: number; grpc: number }> = {}
for (const s of existingServices()) ports[s.name] = { http: await freePort(), grpc: await freePort() }
const services = await startServices({ serverUrl: server.url, logDir, ports, databasePrefix: 'bench', env: { LOG_LEVEL: 'warn' } })
const url = services.find((s) => s.spec.name === 'gateway')!.httpUrl
try {
  const admin = (await call(url, 'POST', '/api/auth/login', null, { username: 'admin', password: 'admin' })).access_token as string
  const customers: Array<{ id: string; token: string }> = []
  for (let i = 0; i < CUSTOMERS; i++) {
    const email = `bench-${i}-${Date.now()}@example.com`
    const c = await call(url, 'POST', '/api/customers', admin, { name: `Bench ${i}`, email, password: 'bench-password', tier: 'VIP' })
    await call(url, 'POST', `/api/customers/${c.id}/deposits`, admin, { amount: 1_000_000_000_000 })
    customers.push({
      id: c.id,
      token: (await call(url, 'POST', '/api/auth/login', null, { username: email, password: 'bench-password' })).access_token,
    })
  }
  // Wait until every deposit landed, so no order is refused for funds.
  for (const c of customers) {
    for (;;) {
      const b = (await call(url, 'GET', `/api/assets?customerId=${c.id}`, admin)) as Array<{ assetName: string; usableSize: number }>
      if (b.some((x) => x.assetName === 'TRY' && x.usableSize > 0)) break
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  const rates: number[] = []
  const p99s: number[] = []
  const p50s: number[] = []
  const tpss: number[] = []
  const ratios: number[] = []
  for (let run = 1; run <= RUNS; run++) {
    const tps = await pgbenchTps(server.url, { seconds: SECONDS, clients: CLIENTS })
    const latencies: number[] = []
    let failed = 0
    let next = 0
    const start = performance.now()
    const end = start + SECONDS * 1000
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < end) {
          const c = customers[next++ % customers.length]!
          const t0 = performance.now()
          try {
            const o = await call(
              url,
              'POST',
              '/api/orders',
              c.token,
              { customerId: c.id, assetName: 'BENCH', side: 'BUY', size: 1, price: 100 },
              { prefer: 'wait=10' },
            )
            if (o.status === 'CONFIRMED') latencies.push(performance.now() - t0)
            else failed++
          } catch {
            failed++
          }
        }
      }),
    )
    const elapsed = (performance.now() - start) / 1000
    latencies.sort((a, b) => a - b)
    const rate = latencies.length / elapsed
    rates.push(rate)
    p50s.push(percentile(latencies, 50))
    p99s.push(percentile(latencies, 99))
    tpss.push(tps)
    ratios.push(rate / tps)
    console.log(
      `run ${run}/${RUNS}: pgbench -N -c ${CLIENTS} ${fmt(tps)} tps; ${latencies.length} orders CONFIRMED in ${fmt(elapsed, 1)} s = ${fmt(rate)}/s, ` +
        `p50 ${fmt(percentile(latencies, 50))} ms p99 ${fmt(percentile(latencies, 99))} ms, ${failed} not confirmed`,
    )
  }
  const show = (name: string, v: number[], d = 0) => {
    const s = summary(v)
    console.log(`${name.padEnd(26)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  console.log(`\nsummary over ${RUNS} runs (${SECONDS} s, ${CLIENTS} clients, ${CUSTOMERS} VIP customers)`)
  show('orders CONFIRMED/s', rates)
  show('p50 ms create→CONFIRMED', p50s)
  show('p99 ms create→CONFIRMED', p99s)
  show('pgbench -N tps', tpss)
  show('ratio orders/pgbench', ratios, 2)
  console.log(
    `orders_per_s=${fmt(summary(rates).median)} p99_ms=${fmt(summary(p99s).median)} pgbench_tps=${fmt(summary(tpss).median)} ratio=${fmt(summary(ratios).median, 2)}`,
  )
} finally {
  await stopServices(services)
  await server.stop()
  await rm(logDir, { recursive: true, force: true })
}
