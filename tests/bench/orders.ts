// npm run bench:orders — the highest OPEN-LOOP arrival rate of orders at which p99 create →
// CONFIRMED stays under P99_MS, on the whole platform as `npm start` runs it (every service its
// own process), with the CPU each order costs over every process of the platform (the node
// services and PostgreSQL, from /proc), beside pgbench -N TPS on the same server in the same run.
//
// Open loop: orders are sent on a fixed schedule (RATE a second) whatever the responses, and each
// latency runs from the order's scheduled send time, so a slow platform cannot slow the load
// down and hide its own queueing. Each order is POSTed with `Prefer: wait=WAIT`, so the gateway
// answers once it is CONFIRMED; one that is not CONFIRMED within WAIT s counts as infinitely late.
// Customers are VIP (1,000 requests/min each); before each step enough are made that their
// refill alone carries the step's rate, so the limit never caps it; a 429 is reported and fails the step.
//
// Search per run: steps of STEP_SECONDS (longer at low rates, so a p99 rests on MIN_ORDERS
// orders), the rate ×GROWTH while steps pass, then bisection between the best passing and the
// lowest failing rate until they are within 10 %, bounded by SEARCH_SECONDS. Runs after the
// first start just below the median so far and grow by 1.15.
// CPU is read from /proc over each step (first send → last answer) for every process of the
// platform; the platform's idle CPU is read once beforehand, so fixed and per-order costs show apart.
//
//   RUNS (3), STEP_SECONDS (4), MIN_ORDERS (100), SEARCH_SECONDS (30 per run), START_RATE (20/s),
//   GROWTH (1.5), MAX_RATE (2000/s), P99_MS (250), WAIT (2 s), CUSTOMERS (at least this many; 0),
//   PGBENCH_SECONDS (5), PGBENCH_CLIENTS (16), WARMUP_SECONDS (10: at 3 s the first run's first step
//   failed its p99 in 7 of 7 runs and capped that run's search below START_RATE; BENCHMARKS.md),
//   STATEMENTS=1: also SQL statements per order per database (pg_stat_statements, preloaded).
//   STATEMENTS_DB=processor,assets: with STATEMENTS=1, every statement of those databases, not only the top 25.
//   CPU_PROFILE=order,gateway: those services run with `node --cpu-prof`; their .cpuprofile files
//   are written to CPU_PROFILE_DIR (default ./cpu-profiles) when the bench stops them (open in
//   Chrome DevTools, or summarize with `npx tsx tests/bench/cpu-profile.ts <file>`).
// Last line: orders_per_s=N p99_ms=L cpu_ms_per_order=C pgbench_tps=M ratio=R (medians over the runs).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createDb } from '@brokerage/platform/postgres'
import { startServices, stopServices, type RunningService } from '../../scripts/platform.js'
import { benchServer, call, fmt, percentile, pgbenchTps, pool, sleep, summary, servicePorts } from './harness.js'
import {
  backendGroups,
  batchDelta,
  batchMetrics,
  cpuDelta,
  cpuSnapshot,
  postmasterPid,
  statementsDelta,
  statementsSnapshot,
  type StatementRow,
} from './profile.js'

const RUNS = Number(process.env.RUNS ?? 3)
const STEP_SECONDS = Number(process.env.STEP_SECONDS ?? 4)
const SEARCH_SECONDS = Number(process.env.SEARCH_SECONDS ?? 30)
const MIN_ORDERS = Number(process.env.MIN_ORDERS ?? 100)
const START_RATE = Number(process.env.START_RATE ?? 20)
const GROWTH = Number(process.env.GROWTH ?? 1.5)
const MAX_RATE = Number(process.env.MAX_RATE ?? 2000)
const P99_MS = Number(process.env.P99_MS ?? 250)
const WAIT = Number(process.env.WAIT ?? 2)
const VIP_PER_SECOND = 1000 / 60
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 0)
const PGBENCH_SECONDS = Number(process.env.PGBENCH_SECONDS ?? 5)
const PGBENCH_CLIENTS = Number(process.env.PGBENCH_CLIENTS ?? 16)
const STATEMENTS = process.env.STATEMENTS === '1'
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 10)
const CPU_PROFILE = (process.env.CPU_PROFILE ?? '').split(',').filter(Boolean)
const CPU_PROFILE_DIR = resolve(process.env.CPU_PROFILE_DIR ?? 'cpu-profiles')
const DB_PREFIX = 'bench'

interface Step {
  rate: number
  seconds: number
  sent: number
  confirmed: number
  notConfirmed: number
  rateLimited: number
  errors: number
  p50: number
  p99: number
  pass: boolean
  cpuMs: Map<string, number>
  /** From the first send until the last answer: the window the CPU was read over. */
  windowMs: number
  driverCpuMs: number
  statements: StatementRow[]
  batches: Map<string, { mean: number; batches: number }>
  lag: number
}

const server = await benchServer(STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements' } : undefined)
const logDir = await mkdtemp(join(tmpdir(), 'bench-orders-logs-'))
const admin = createDb({ url: server.url, max: 1, applicationName: 'bench' })
let services: RunningService[] = []
try {
  const ports = await servicePorts()
  const nodeFlags = Object.fromEntries(
    CPU_PROFILE.map((name) => [
      name,
      ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`, `--cpu-prof-name=${name}.${Date.now()}.cpuprofile`],
    ]),
  )
  services = await startServices({
    serverUrl: server.url,
    logDir,
    ports,
    databasePrefix: DB_PREFIX,
    env: { LOG_LEVEL: 'warn' },
    nodeFlags,
  })
  const url = services.find((s) => s.spec.name === 'gateway')!.httpUrl

  let statementsOn = false
  if (STATEMENTS) {
    try {
      await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
      await statementsSnapshot(admin)
      statementsOn = true
    } catch (err) {
      console.log(`pg_stat_statements unavailable (${(err as Error).message}); statements are not counted`)
    }
  }

  // What is measured: every service process with its children, and the PostgreSQL server
  // with every backend and helper process; the bench's own backend is split out.
  const postmaster = await postmasterPid(admin)
  const roots = new Map<string, number>([...services.map((s) => [s.spec.name, s.child.pid!] as const), ['postgres (other)', postmaster]])
  const dbLabel = (datname: string) => (datname.startsWith(`${DB_PREFIX}_`) ? `postgres ${datname.slice(DB_PREFIX.length + 1)}` : undefined)
  const isPlatform = (group: string) => group !== 'bench (own queries)'

  const adminToken = (await call(url, 'POST', '/api/auth/login', null, { username: 'admin', password: 'admin' })).access_token as string
  const customers: Array<{ id: string; token: string }> = []
  /**
   * Enough VIP customers that their buckets' refill alone carries `rate` (each bucket also starts
   * with a minute's worth), made before a step needs them, so set-up costs only what the rate needs.
   */
  async function ensureCustomers(rate: number) {
    const want = Math.max(CUSTOMERS, Math.ceil(rate / VIP_PER_SECOND) + 1)
    if (customers.length >= want) return
    const t0 = performance.now()
    const have = customers.length
    await pool(
      Array.from({ length: want - have }, (_, i) => have + i),
      4,
      async (i) => {
        // A customer whose creation timed out may exist after all: a retry makes another one.
        let c: { id: string } | undefined
        let email = ''
        for (let attempt = 1; !c; attempt++) {
          email = `bench-${i}-${attempt}-${Date.now()}@example.com`
          try {
            c = await call(url, 'POST', '/api/customers', adminToken, {
              name: `Bench ${i}`,
              email,
              password: 'bench-password',
              tier: 'VIP',
            })
          } catch (err) {
            if (attempt === 3) throw err
          }
        }
        await call(url, 'POST', `/api/customers/${c.id}/deposits`, adminToken, { amount: 1_000_000_000_000 })
        const token = (await call(url, 'POST', '/api/auth/login', null, { username: email, password: 'bench-password' })).access_token
        // Every deposit landed before the load, so no order is refused for funds.
        for (;;) {
          const b = (await call(url, 'GET', `/api/assets?customerId=${c.id}`, adminToken)) as Array<{
            assetName: string
            usableSize: number
          }>
          if (b.some((x) => x.assetName === 'TRY' && x.usableSize > 0)) break
          await sleep(100)
        }
        customers.push({ id: c.id, token })
      },
    )
    console.log(
      `  ${want - have} more VIP customers (${want}, rate limit ≥ ${fmt(want * VIP_PER_SECOND)} orders/s) in ${fmt((performance.now() - t0) / 1000, 1)} s`,
    )
  }

  async function scrape(name: string, metric: RegExp): Promise<number> {
    let total = 0
    for (const s of services.filter((x) => !name || x.spec.name === name)) {
      try {
        const text = await (await fetch(`${s.opsUrl}/metrics`)).text()
        for (const line of text.split('\n')) {
          const m = metric.exec(line)
          if (m) total += Number(m[1])
        }
      } catch {}
    }
    return total
  }
  const pendingOrders = () => scrape('order', /^orders_by_status\{[^}]*status="PENDING"[^}]*\} ([0-9.eE+-]+)$/)
  const consumerLag = () => scrape('', /^consumer_lag\{[^}]*\} ([0-9.eE+-]+)$/)

  /** Waits (bounded) until no order of an earlier step is still in its saga, so steps do not overlap. */
  async function settle() {
    const deadline = performance.now() + 20_000
    while ((await pendingOrders()) > 0 && performance.now() < deadline) await sleep(200)
  }

  let nextCustomer = 0
  async function step(rate: number, seconds: number, measure = true): Promise<Step> {
    await ensureCustomers(rate)
    await settle()
    const n = Math.max(1, Math.round(rate * seconds))
    const latencies: number[] = []
    let notConfirmed = 0
    let rateLimited = 0
    let errors = 0
    const batchesBefore = measure ? await Promise.all(services.map((s) => batchMetrics(s.opsUrl))) : []
    const stmtsBefore = measure && statementsOn ? await statementsSnapshot(admin) : new Map()
    const refine = measure ? await backendGroups(admin, dbLabel) : new Map<number, string>()
    const cpuBefore = cpuSnapshot(roots)
    const driverBefore = process.cpuUsage()

    const send = async (scheduled: number, c: { id: string; token: string }) => {
      try {
        const res = await fetch(`${url}/api/orders`, {
          method: 'POST',
          headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', prefer: `wait=${WAIT}` },
          body: JSON.stringify({ customerId: c.id, assetName: 'BENCH', side: 'BUY', size: 1, price: 100 }),
          signal: AbortSignal.timeout(WAIT * 1000 + 15_000),
        })
        const body = (await res.json().catch(() => null)) as { status?: string } | null
        if (res.status === 429) rateLimited++
        else if (res.status === 200 && body?.status === 'CONFIRMED') latencies.push(performance.now() - scheduled)
        else notConfirmed++
      } catch {
        errors++
      }
    }
    const inFlight: Promise<void>[] = []
    const start = performance.now() + 1
    for (let i = 0; i < n;) {
      const now = performance.now()
      while (i < n && start + (i * 1000) / rate <= now) {
        inFlight.push(send(start + (i * 1000) / rate, customers[nextCustomer++ % customers.length]!))
        i++
      }
      if (i < n) await sleep(Math.min(start + (i * 1000) / rate - performance.now(), 10))
    }
    await Promise.all(inFlight)
    const cpuAfter = cpuSnapshot(roots)
    const driver = process.cpuUsage(driverBefore)
    let statements: StatementRow[] = []
    let batches = new Map<string, { mean: number; batches: number }>()
    let lag = 0
    if (measure) {
      for (const [pid, g] of await backendGroups(admin, dbLabel)) refine.set(pid, g)
      if (statementsOn)
        statements = statementsDelta(stmtsBefore, await statementsSnapshot(admin)).filter((r) => r.datname.startsWith(`${DB_PREFIX}_`))
      const batchesAfter = await Promise.all(services.map((s) => batchMetrics(s.opsUrl)))
      batches = new Map(
        services.flatMap((s, i) =>
          [...batchDelta(batchesBefore[i]!, batchesAfter[i]!)].map(([k, v]) => [`${s.spec.name} ${k}`, v] as const),
        ),
      )
      lag = await consumerLag()
    }
    // A late or missing confirmation is as bad as any: it counts as infinitely late.
    const all = [...latencies].sort((a, b) => a - b)
    for (let i = latencies.length; i < n; i++) all.push(Infinity)
    const p99 = percentile(all, 99)
    const s: Step = {
      rate,
      seconds,
      sent: n,
      confirmed: latencies.length,
      notConfirmed,
      rateLimited,
      errors,
      p50: percentile(all, 50),
      p99,
      pass: p99 < P99_MS && rateLimited === 0,
      cpuMs: cpuDelta(cpuBefore, cpuAfter, refine),
      windowMs: cpuAfter.at - cpuBefore.at,
      driverCpuMs: (driver.user + driver.system) / 1000,
      statements,
      batches,
      lag,
    }
    if (measure) {
      const cpu = [...s.cpuMs].filter(([g]) => isPlatform(g)).reduce((a, [, v]) => a + v, 0)
      console.log(
        `  ${fmt(rate, rate < 10 ? 1 : 0).padStart(5)}/s × ${fmt(seconds, 1)} s: ${s.confirmed}/${n} CONFIRMED, p50 ${fmt(s.p50)} ms p99 ${fmt(p99)} ms, ` +
          `${fmt(cpu / Math.max(1, s.confirmed), 1)} CPU ms/order` +
          (notConfirmed + errors ? `, ${notConfirmed} not confirmed in ${WAIT} s, ${errors} errors` : '') +
          (rateLimited ? `, ${rateLimited} RATE LIMITED (raise CUSTOMERS)` : '') +
          (lag ? `, consumer lag ${lag}` : '') +
          ` → ${s.pass ? 'pass' : 'FAIL'}`,
      )
    }
    return s
  }

  async function search(startRate: number, growth: number, deadline: number): Promise<Step | undefined> {
    let best: Step | undefined
    let lowestFail = Infinity
    let rate = Math.min(startRate, MAX_RATE)
    for (let first = true; ; first = false) {
      const seconds = Math.min(3 * STEP_SECONDS, Math.max(STEP_SECONDS, MIN_ORDERS / rate))
      // The budget bounds the run: a step that would end past it is not started (but one always
      // is, and a run with no passing step yet gets up to twice the budget to find one).
      const limit = best ? deadline : deadline + SEARCH_SECONDS * 1000
      if (!first && performance.now() + seconds * 1000 > limit) break
      const s = await step(rate, seconds)
      if (s.pass) best = s
      else lowestFail = Math.min(lowestFail, rate)
      const lo = best?.rate ?? 0
      if (lowestFail === Infinity) {
        if (rate >= MAX_RATE) break
        rate = Math.min(MAX_RATE, rate * growth)
      } else if (lo === 0) {
        if (rate < 2) break
        rate = rate / 2
      } else {
        if (lowestFail / lo <= 1.1) break
        rate = Math.sqrt(lo * lowestFail)
      }
    }
    return best
  }

  console.log(`warm-up: ${START_RATE}/s for ${WARMUP_SECONDS} s`)
  await step(START_RATE, WARMUP_SECONDS, false)
  await settle()
  const idleBefore = cpuSnapshot(roots)
  await sleep(3000)
  const idleMs = cpuDelta(idleBefore, cpuSnapshot(roots), await backendGroups(admin, dbLabel))
  const idleSeconds = 3
  const idleTotal = [...idleMs].filter(([g]) => isPlatform(g)).reduce((a, [, v]) => a + v, 0) / idleSeconds
  console.log(`idle platform: ${fmt(idleTotal)} CPU ms/s`)

  const results: Array<{ tps: number; best: Step | undefined }> = []
  for (let run = 1; run <= RUNS; run++) {
    const tps = await pgbenchTps(server.url, { seconds: PGBENCH_SECONDS, clients: PGBENCH_CLIENTS })
    console.log(`run ${run}/${RUNS}: pgbench -N -c ${PGBENCH_CLIENTS} ${fmt(tps)} tps`)
    const previous = results.map((r) => r.best?.rate ?? 0).filter((r) => r > 0)
    const start = previous.length ? summary(previous).median * 0.85 : START_RATE
    const best = await search(start, previous.length ? 1.15 : GROWTH, performance.now() + SEARCH_SECONDS * 1000)
    results.push({ tps, best })
    console.log(
      best ? `  highest passing rate: ${fmt(best.rate, 1)}/s${best.rate >= MAX_RATE ? ' (= MAX_RATE: raise it)' : ''}` : `  no rate passed`,
    )
  }

  // Per-process profile of each run's highest passing step, as medians over the runs.
  const passed = results.filter((r) => r.best).map((r) => r.best!)
  const groups = [...new Set(passed.flatMap((s) => [...s.cpuMs.keys()]))]
  const perOrder = (s: Step, ms: number) => ms / Math.max(1, s.confirmed)
  const rowsOf = groups
    .map((g) => ({
      g,
      v: passed.map((s) => perOrder(s, s.cpuMs.get(g) ?? 0)),
      pct: passed.map((s) => ((s.cpuMs.get(g) ?? 0) / s.windowMs) * 100),
    }))
    .sort((a, b) => summary(b.v).median - summary(a.v).median)
  const cpuTotals = passed.map((s) =>
    perOrder(
      s,
      [...s.cpuMs].filter(([g]) => isPlatform(g)).reduce((a, [, v]) => a + v, 0),
    ),
  )
  if (!passed.length) console.log('\nno run passed: no per-process profile')
  else {
    console.log(
      `\nCPU per CONFIRMED order at each run's highest passing rate (/proc utime+stime, median of ${passed.length} runs; ` +
        `CPU % of one core under that load and idle)`,
    )
    console.log(`${'process'.padEnd(34)} ${'ms/order'.padStart(9)} ${'load %'.padStart(7)} ${'idle %'.padStart(7)}`)
    for (const r of rowsOf)
      console.log(
        `${r.g.padEnd(34)} ${fmt(summary(r.v).median, 2).padStart(9)} ${fmt(summary(r.pct).median).padStart(7)} ` +
          `${fmt((idleMs.get(r.g) ?? 0) / idleSeconds / 10).padStart(7)}`,
      )
    const aboveIdle = passed.map((s, i) => cpuTotals[i]! - (idleTotal * s.windowMs) / 1000 / Math.max(1, s.confirmed))
    console.log(`${'total (platform)'.padEnd(34)} ${fmt(summary(cpuTotals).median, 2).padStart(9)}`)
    console.log(`${'  of which above idle'.padEnd(34)} ${fmt(summary(aboveIdle.length ? aboveIdle : [NaN]).median, 2).padStart(9)}`)
    console.log(
      `${'load generator (not counted)'.padEnd(34)} ${fmt(summary(passed.map((s) => perOrder(s, s.driverCpuMs))).median, 2).padStart(9)}`,
    )
  }

  if (statementsOn && passed.length) {
    const dbs = [...new Set(passed.flatMap((s) => s.statements.map((r) => r.datname)))].sort()
    console.log(`\nSQL statements per order (pg_stat_statements, BEGIN/COMMIT included, median of ${passed.length} runs)`)
    let total: number[] = passed.map(() => 0)
    for (const d of dbs) {
      const v = passed.map((s) =>
        perOrder(
          s,
          s.statements.filter((r) => r.datname === d).reduce((a, r) => a + r.calls, 0),
        ),
      )
      total = total.map((t, i) => t + v[i]!)
      console.log(`${d.padEnd(34)} ${fmt(summary(v).median, 1).padStart(7)}`)
    }
    console.log(`${'total'.padEnd(34)} ${fmt(summary(total).median, 1).padStart(7)}`)
    const last = passed[passed.length - 1]!
    console.log(
      `\ntop statements of the last run's highest passing step (${fmt(last.rate)}/s): calls/order, rows/call, database, statement`,
    )
    const only = process.env.STATEMENTS_DB?.split(',').map((d) => `_${d}`)
    for (const r of only ? last.statements.filter((r) => only.some((d) => r.datname.endsWith(d))) : last.statements.slice(0, 25))
      console.log(
        `${fmt(perOrder(last, r.calls), 2).padStart(7)} ${fmt(r.rows / r.calls, 2).padStart(7)}  ${r.datname.slice(DB_PREFIX.length + 1).padEnd(22)} ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`,
      )
  }
  if (passed.length) {
    const last = passed[passed.length - 1]!
    if (last.batches.size) {
      console.log(`\nmean batch sizes (service /metrics, last run's highest passing step)`)
      for (const [k, v] of last.batches) console.log(`${fmt(v.mean, 2).padStart(7)}  ${k} (${v.batches} batches)`)
    } else console.log(`\nno batch-size metrics exposed on /metrics (statement rows/call above shows fetch sizes with STATEMENTS=1)`)
  }

  // Latencies and costs exist only for runs with a passing step; the rates of the others are 0.
  const measured = (v: number[]) => v.filter((x) => !Number.isNaN(x))
  const med = (v: number[], d = 0) => (measured(v).length ? fmt(summary(measured(v)).median, d) : 'NaN')
  const show = (name: string, v: number[], d = 0) => {
    if (!measured(v).length) return console.log(`${name.padEnd(30)} no run passed`)
    const s = summary(measured(v))
    console.log(`${name.padEnd(30)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  const rates = results.map((r) => (r.best ? r.best.confirmed / r.best.seconds : 0))
  const p99s = results.map((r) => r.best?.p99 ?? NaN)
  const tpss = results.map((r) => r.tps)
  const ratios = results.map((r, i) => rates[i]! / r.tps)
  console.log(
    `\nsummary over ${RUNS} runs (open loop, ${STEP_SECONDS} s steps, p99 < ${P99_MS} ms, ${customers.length} VIP customers, pgbench -N -c ${PGBENCH_CLIENTS} ${PGBENCH_SECONDS} s)`,
  )
  show('orders CONFIRMED/s', rates)
  show(
    'p50 ms create→CONFIRMED',
    results.map((r) => r.best?.p50 ?? NaN),
  )
  show('p99 ms create→CONFIRMED', p99s)
  show('CPU ms per order (platform)', cpuTotals, 2)
  show('pgbench -N tps', tpss)
  show('ratio orders/pgbench', ratios, 3)
  console.log(
    `orders_per_s=${med(rates)} p99_ms=${med(p99s)} cpu_ms_per_order=${med(cpuTotals, 2)} ` +
      `pgbench_tps=${med(tpss)} ratio=${med(ratios, 3)}`,
  )
} finally {
  await stopServices(services)
  await admin.close()
  await server.stop()
  await rm(logDir, { recursive: true, force: true })
}
