// npm run bench:footprint — what the platform costs in memory and start-up time, run the way
// `npm start` runs it (scripts/platform.ts: every service its own process, on a throw-away
// embedded PostgreSQL). Per run, on fresh databases:
//   1. start_s: from asking scripts/platform.ts to start every service (databases created,
//      migrations run, processes spawned in topology order) until every one answers /health/ready;
//      and the CPU seconds each service used to get there (/proc/<pid>/stat), which a busy machine
//      does not stretch the way it stretches the wall clock;
//   2. idle RSS of every service process (/proc/<pid>/status VmRSS), after SETTLE seconds;
//   3. RSS under load, sampled every 100 ms, the highest sample kept: first a burst of sign-ups
//      (SIGNUPS customers created and each signed in, SIGNUP_CONCURRENCY at a time: scrypt, 64 MB
//      a hash), with the orders benchmark's customers among them; then the orders benchmark's load
//      (open loop: VIP customers POST BUY 1 BENCH at 100 with `Prefer: wait`, on a fixed schedule
//      whatever the answers) at RATE orders/s for LOAD_SECONDS. Both phases count as load.
//   4. NPM_STARTS times `npm start` itself (scripts/launch.mjs: build check, embedded PostgreSQL on
//      a kept data folder, every service) until it prints "Brokerage is up.", with the load average.
//
//   RUNS (3), RATE (50 orders/s), LOAD_SECONDS (10), SETTLE (3 s), WAIT (2 s, the orders' Prefer: wait),
//   SIGNUPS (24), SIGNUP_CONCURRENCY (4), NPM_STARTS (3; 0 skips)
// Last line: services=N rss_idle_mb_max=A rss_load_mb_max=B start_s=S (medians over the runs of
// the largest service's idle RSS, of its highest RSS under either load, and of the start time).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { freePort } from '@brokerage/platform/testing'
import { ROOT, existingServices, startServices, stopServices, type RunningService } from '../../scripts/platform.js'
import { benchServer, call, fmt, pool, sleep, summary, servicePorts } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const RATE = Number(process.env.RATE ?? 50)
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 10)
const SETTLE = Number(process.env.SETTLE ?? 3)
const WAIT = Number(process.env.WAIT ?? 2)
const SIGNUPS = Number(process.env.SIGNUPS ?? 24)
const SIGNUP_CONCURRENCY = Number(process.env.SIGNUP_CONCURRENCY ?? 4)
const NPM_STARTS = Number(process.env.NPM_STARTS ?? 3)
const VIP_PER_SECOND = 1000 / 60

const loadAverage = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])

/** CPU seconds (user + system) one process has used so far: a start-up cost a busy machine cannot stretch. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ = 100)
}

/** Resident set of one process in MB (VmRSS), or NaN once it is gone. */
function rssMb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) / 1024 : NaN
  } catch {
    return NaN
  }
}

/** The orders benchmark's customers: enough VIP ones that their refill alone carries the rate. */
/** The burst of sign-ups and sign-ins; the first of them are the orders benchmark's VIP customers, with deposits. */
async function makeCustomers(url: string, rate: number) {
  const adminToken = (await call(url, 'POST', '/api/auth/login', null, { username: 'admin', password: 'admin' })).access_token as string
  const customers: Array<{ id: string; token: string }> = []
  const want = Math.ceil(rate / VIP_PER_SECOND) + 1
  let signedIn = 0
  await pool(
    Array.from({ length: Math.max(want, SIGNUPS) }, (_, i) => i),
    SIGNUP_CONCURRENCY,
    async (i) => {
      const email = `footprint-${i}-${Date.now()}@example.com`
      const c = await call(url, 'POST', '/api/customers', adminToken, {
        name: `Footprint ${i}`,
        email,
        password: 'bench-password',
        tier: 'VIP',
      })
      const token = (await call(url, 'POST', '/api/auth/login', null, { username: email, password: 'bench-password' })).access_token
      signedIn++
      if (i >= want) return
      await call(url, 'POST', `/api/customers/${c.id}/deposits`, adminToken, { amount: 1_000_000_000_000 })
      for (;;) {
        const b = (await call(url, 'GET', `/api/assets?customerId=${c.id}`, adminToken)) as Array<{ assetName: string; usableSize: number }>
        if (b.some((x) => x.assetName === 'TRY' && x.usableSize > 0)) break
        await sleep(100)
      }
      customers.push({ id: c.id, token })
    },
  )
  return { customers, signedIn }
}

/** `npm start` as a developer runs it, on its own ports and a kept data folder: seconds until it prints that it is up. */
async function timeNpmStart(dataDir: string): Promise<number> {
  const ports: Record<string, string> = { MAIL_CATCHER_SMTP_PORT: '0', MAIL_CATCHER_HTTP_PORT: '0', PG_PORT: String(await freePort()) }
  for (const s of existingServices()) {
    const name = s.name.toUpperCase().replaceAll('-', '_')
    ports[s.name === 'gateway' ? 'PORT' : `${name}_HTTP_PORT`] = String(await freePort())
    if (s.grpcPort !== undefined) ports[`${name}_GRPC_PORT`] = String(await freePort())
    if (s.opsPort !== undefined) ports[`${name}_OPS_PORT`] = String(await freePort())
  }
  const t0 = performance.now()
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...ports },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  })
  const exited = new Promise((r) => child.once('exit', r))
  try {
    return await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (line.startsWith('Brokerage is up')) resolve((performance.now() - t0) / 1000)
      })
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before it was up`)))
    })
  } finally {
    // Ctrl-C, as a developer stops it: the launcher stops the services, then PostgreSQL.
    process.kill(-child.pid!, 'SIGINT')
    await exited
  }
}

/** The orders benchmark's load, at one fixed rate: open loop, each order's answer awaited in the background. */
async function orderLoad(url: string, customers: Array<{ id: string; token: string }>, rate: number, seconds: number) {
  const n = Math.max(1, Math.round(rate * seconds))
  let confirmed = 0
  const send = async (c: { id: string; token: string }) => {
    try {
      const res = await fetch(`${url}/api/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', prefer: `wait=${WAIT}` },
        body: JSON.stringify({ customerId: c.id, assetName: 'BENCH', side: 'BUY', size: 1, price: 100 }),
        signal: AbortSignal.timeout(WAIT * 1000 + 15_000),
      })
      const body = (await res.json().catch(() => null)) as { status?: string } | null
      if (res.status === 200 && body?.status === 'CONFIRMED') confirmed++
    } catch {}
  }
  const inFlight: Promise<void>[] = []
  const start = performance.now() + 1
  for (let i = 0; i < n;) {
    const now = performance.now()
    while (i < n && start + (i * 1000) / rate <= now) inFlight.push(send(customers[i++ % customers.length]!))
    if (i < n) await sleep(Math.min(start + (i * 1000) / rate - performance.now(), 10))
  }
  await Promise.all(inFlight)
  return { sent: n, confirmed }
}

interface Run {
  startS: number
  startCpu: Map<string, number>
  idle: Map<string, number>
  signup: Map<string, number>
  load: Map<string, number>
}

/** Samples every service's RSS every 100 ms while fn runs; the highest sample per service. */
async function peakRss<T>(services: RunningService[], fn: () => Promise<T>): Promise<[T, Map<string, number>]> {
  const peak = new Map(services.map((s) => [s.spec.name, 0]))
  let sampling = true
  const sampler = (async () => {
    while (sampling) {
      for (const s of services) peak.set(s.spec.name, Math.max(peak.get(s.spec.name)!, rssMb(s.child.pid!)))
      await sleep(100)
    }
  })()
  try {
    return [await fn(), peak]
  } finally {
    sampling = false
    await sampler
  }
}

const server = await benchServer()
const runs: Run[] = []
try {
  for (let run = 1; run <= RUNS; run++) {
    const logDir = await mkdtemp(join(tmpdir(), 'bench-footprint-logs-'))
    const ports = await servicePorts()
    let services: RunningService[] = []
    try {
      const t0 = performance.now()
      services = await startServices({
        serverUrl: server.url,
        logDir,
        ports,
        databasePrefix: `footprint${run}`,
        env: { LOG_LEVEL: 'warn' },
      })
      const startS = (performance.now() - t0) / 1000
      const loadAt = loadAverage()
      const startCpu = new Map(services.map((s) => [s.spec.name, cpuSeconds(s.child.pid!)]))
      await sleep(SETTLE * 1000)
      const idle = new Map(services.map((s) => [s.spec.name, rssMb(s.child.pid!)]))
      const url = services.find((s) => s.spec.name === 'gateway')!.httpUrl
      const signupStart = performance.now()
      const [{ customers, signedIn }, signup] = await peakRss(services, () => makeCustomers(url, RATE))
      const signupS = (performance.now() - signupStart) / 1000
      const [{ sent, confirmed }, load] = await peakRss(services, () => orderLoad(url, customers, RATE, LOAD_SECONDS))
      runs.push({ startS, startCpu, idle, signup, load })
      console.log(
        `run ${run}/${RUNS}: all ${services.length} services ready in ${fmt(startS, 2)} s (load average ${fmt(loadAt, 1)}); ` +
          `${signedIn} sign-ups and sign-ins in ${fmt(signupS, 1)} s (${SIGNUP_CONCURRENCY} at a time); ` +
          `${confirmed}/${sent} orders CONFIRMED at ${RATE}/s`,
      )
      for (const s of services) {
        const mb = (m: Map<string, number>) => fmt(m.get(s.spec.name)!, 1).padStart(6)
        console.log(
          `  ${s.spec.name.padEnd(16)} rss MB: idle ${mb(idle)}   sign-ups ${mb(signup)}   order load ${mb(load)}   ` +
            `CPU s to ready ${fmt(startCpu.get(s.spec.name)!, 2)}`,
        )
      }
    } catch (err) {
      // The services' own words on why they did not come up, before the logs go.
      for (const f of (await readdir(logDir)).filter((f) => f.endsWith('.log')))
        console.log(`--- ${f}\n${(await readFile(join(logDir, f), 'utf8')).slice(-3000)}`)
      throw err
    } finally {
      await stopServices(services)
      await rm(logDir, { recursive: true, force: true })
    }
  }
} finally {
  await server.stop()
}

const names = [...new Set(runs.flatMap((r) => [...r.idle.keys()]))]
console.log(`\nsummary over ${runs.length} runs (RSS in MB, min / median / max over the runs)`)
const line = (label: string, v: number[], d = 1) => {
  const s = summary(v)
  console.log(`${label.padEnd(34)} ${fmt(s.min, d).padStart(7)} ${fmt(s.median, d).padStart(7)} ${fmt(s.max, d).padStart(7)}`)
}
for (const n of names) {
  line(
    `${n} CPU s to ready`,
    runs.map((r) => r.startCpu.get(n)!),
    2,
  )
  for (const [phase, key] of [
    ['idle', 'idle'],
    ['sign-ups', 'signup'],
    ['order load', 'load'],
  ] as const)
    line(
      `${n} ${phase}`,
      runs.map((r) => r[key].get(n)!),
    )
}
const idleMax = runs.map((r) => Math.max(...r.idle.values()))
const signupMax = runs.map((r) => Math.max(...r.signup.values()))
const loadMax = runs.map((r) => Math.max(...r.load.values(), ...r.signup.values()))
const starts = runs.map((r) => r.startS)
line('largest service idle', idleMax)
line('largest service during sign-ups', signupMax)
line(
  'largest service under order load',
  runs.map((r) => Math.max(...r.load.values())),
)
line('largest service under either load', loadMax)
line('start → all ready, s', starts, 2)
line(
  'CPU s to ready, all services',
  runs.map((r) => [...r.startCpu.values()].reduce((a, b) => a + b, 0)),
  2,
)
if (NPM_STARTS > 0) {
  // The first start makes the data folder (initdb) and is not counted: a developer's later starts find it.
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-footprint-npm-start-'))
  try {
    await timeNpmStart(dataDir)
    const times: number[] = []
    for (let i = 1; i <= NPM_STARTS; i++) {
      const load = loadAverage()
      times.push(await timeNpmStart(dataDir))
      console.log(`npm start ${i}/${NPM_STARTS}: up in ${fmt(times.at(-1)!, 2)} s (load average ${fmt(load, 1)} before it)`)
    }
    line('npm start → up, s', times, 2)
  } finally {
    await rm(dataDir, { recursive: true, force: true })
  }
}
console.log(
  `services=${names.length} rss_idle_mb_max=${fmt(summary(idleMax).median)} rss_load_mb_max=${fmt(summary(loadMax).median)} start_s=${fmt(summary(starts).median, 1)}`,
)
