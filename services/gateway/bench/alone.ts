// The gateway alone: its CPU per `POST /api/orders` (Prefer: wait=2), with the services it calls
// replaced by in-process gRPC stand-ins that answer at once (mutual TLS with the development
// certificates, as `npm start` runs it). The gateway runs compiled, as its own process, with the
// flags every service gets; its CPU is read from /proc (utime + stime) over each step. The load
// generator and the stand-ins share this process, so none of their CPU is counted.
//
// The whole-platform bench (tests/bench/orders.ts) measures the same gateway cost, but among
// ≈ 15 ms of other processes' CPU per order on a shared machine: too noisy to see a 5 % step.
//
//   npx tsx services/gateway/bench/alone.ts   (after npm run build)
//   RATE (200/s), SECONDS (15), STEPS (3), CUSTOMERS (10), DELAY_MS (100), CPU_PROFILE=1 (--cpu-prof into ./cpu-profiles),
//   IDLE_ONLY=1 (only the RSS 3 s after ready), NODE_FLAGS (more flags for the gateway's node)
// Last line: gateway_cpu_ms_per_request=C (median of the steps) p99_ms=L
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type * as pb from '@brokerage/contracts/grpc'
import { createGrpcServer, createLogger, grpcService, type GrpcHandlers } from '@brokerage/platform'
import { devCertificatePaths, ensureDevCertificates } from '@brokerage/platform/grpc/certs'
import { freePort } from '@brokerage/platform/testing'
import { startServices, stopServices, type RunningService } from '../../../scripts/platform.js'
import { TOPOLOGY } from '../../../scripts/topology.js'
import { benchServer, percentile } from '../../../tests/bench/harness.js'

const RATE = Number(process.env.RATE ?? 200)
const SECONDS = Number(process.env.SECONDS ?? 15)
const STEPS = Number(process.env.STEPS ?? 3)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 10)
const CPU_PROFILE = process.env.CPU_PROFILE === '1'
// How long the order stand-in holds CreateOrder, as the order service does while the saga runs
// (Prefer: wait): what keeps requests, and their objects, in flight.
const DELAY_MS = Number(process.env.DELAY_MS ?? 100)
const AT = '2025-01-31T09:30:00.000Z'
const PASSWORD = 'bench-password'

/** Every method of a service: the given ones, any other refused (the gateway must not need it). */
function stand<S extends pb.GrpcServiceName>(methods: Partial<GrpcHandlers<S>>): GrpcHandlers<S> {
  return new Proxy(methods, {
    get: (target, name: string) =>
      target[name as keyof typeof target] ??
      (async () => {
        throw new Error(`stand-in has no ${name}`)
      }),
  }) as GrpcHandlers<S>
}

const server = await benchServer()
const logDir = await mkdtemp(join(tmpdir(), 'gateway-alone-'))
const certsDir = join(logDir, 'tls')
let gateway: RunningService[] = []
const stops: Array<() => Promise<void>> = []
try {
  await ensureDevCertificates(
    certsDir,
    TOPOLOGY.map((s) => s.name),
  )
  const log = createLogger({ service: 'stand-ins', level: 'silent' })
  /** A stand-in server under the certificate of the service it stands for (the gateway checks the name). */
  async function standIn(name: string, add: (s: ReturnType<typeof createGrpcServer>) => void): Promise<string> {
    const files = devCertificatePaths(certsDir, name)
    const s = createGrpcServer({
      log,
      tls: { ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key) },
    })
    add(s)
    const port = await s.listen(0)
    stops.push(() => s.stop(100))
    return `127.0.0.1:${port}`
  }

  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({ id: randomUUID(), username: `bench-${i}@example.com` }))
  const byUsername = new Map(customers.map((c) => [c.username, c]))
  const customerAddress = await standIn('customer', (s) => {
    s.addService(
      grpcService('identity'),
      stand<'identity'>({
        Authenticate: async (r) => {
          const c = byUsername.get(r.username)
          if (!c || r.password !== PASSWORD) throw new Error('unknown')
          return { subject: c.id, role: 'CUSTOMER', username: r.username, customer_id: c.id, broker_id: '', status: 'ACTIVE' }
        },
      }),
    )
    s.addService(
      grpcService('customer'),
      stand<'customer'>({
        GetCustomer: async (r) => ({
          id: r.id,
          name: 'Bench',
          email: 'bench@example.com',
          tier: 'VIP',
          status: 'ACTIVE',
          broker_id: '',
          created_at: AT,
          updated_at: AT,
        }),
      }),
    )
  })
  const orderAddress = await standIn('order', (s) =>
    s.addService(
      grpcService('order'),
      stand<'order'>({
        CreateOrder: async (r) => {
          await new Promise((resolve) => setTimeout(resolve, DELAY_MS))
          return {
            order: {
              id: randomUUID(),
              customer_id: r.customer_id,
              asset_name: r.asset_name,
              side: r.side,
              size: r.size,
              price: r.price,
              filled_size: 0,
              status: 'CONFIRMED',
              rejection_reason: '',
              created_at: AT,
              updated_at: AT,
              history: [],
            },
            replayed: false,
          }
        },
      }),
    ),
  )

  gateway = await startServices({
    serverUrl: server.url,
    logDir,
    certsDir,
    only: ['gateway'],
    databasePrefix: 'alone',
    env: { LOG_LEVEL: 'warn' },
    ports: { gateway: { http: await freePort(), ops: await freePort() } },
    serviceEnv: { gateway: { CUSTOMER_GRPC_URL: customerAddress, ORDER_GRPC_URL: orderAddress } },
    nodeFlags: {
      gateway: [
        ...(CPU_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${resolve('cpu-profiles')}`, `--cpu-prof-name=gateway-alone.${Date.now()}.cpuprofile`]
          : []),
        ...(process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ],
    },
  })
  const url = gateway[0]!.httpUrl
  const pid = gateway[0]!.child.pid!
  const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
  // Idle as bench:footprint reads it: 3 s after ready.
  await new Promise((r) => setTimeout(r, 3000))
  const metrics = await (await fetch(`${gateway[0]!.opsUrl}/metrics`)).text()
  const metric = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(metrics)?.[1] ?? NaN) / 1048576
  console.log(
    `idle RSS ${rssMb().toFixed(1)} MB (V8 heap ${metric('nodejs_heap_size_used_bytes').toFixed(1)} used of ` +
      `${metric('nodejs_heap_size_total_bytes').toFixed(1)}, external ${metric('nodejs_external_memory_bytes').toFixed(1)})`,
  )
  if (process.env.IDLE_ONLY !== '1') await load()

  async function load() {
    const tokens: Array<{ id: string; token: string }> = []
    for (const c of customers) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: c.username, password: PASSWORD }),
      })
      if (!res.ok) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`)
      tokens.push({ id: c.id, token: ((await res.json()) as { access_token: string }).access_token })
    }

    const cpuMs = () => {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return ((Number(f[11]) + Number(f[12])) * 1000) / 100
    }
    let next = 0
    async function step(rate: number, seconds: number) {
      const n = Math.round(rate * seconds)
      const latencies: number[] = []
      let failed = 0
      const inFlight: Promise<void>[] = []
      const cpu0 = cpuMs()
      const start = performance.now() + 1
      for (let i = 0; i < n;) {
        const now = performance.now()
        while (i < n && start + (i * 1000) / rate <= now) {
          const scheduled = start + (i * 1000) / rate
          const c = tokens[next++ % tokens.length]!
          inFlight.push(
            fetch(`${url}/api/orders`, {
              method: 'POST',
              headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', prefer: 'wait=2' },
              body: JSON.stringify({ customerId: c.id, assetName: 'BENCH', side: 'BUY', size: 1, price: 100 }),
            }).then(
              async (res) => {
                const body = (await res.json()) as { status?: string }
                if (res.status === 200 && body.status === 'CONFIRMED') latencies.push(performance.now() - scheduled)
                else failed++
              },
              () => void failed++,
            ),
          )
          i++
        }
        if (i < n) await new Promise((r) => setTimeout(r, Math.min(start + (i * 1000) / rate - performance.now(), 10)))
      }
      await Promise.all(inFlight)
      const cpu = cpuMs() - cpu0
      latencies.sort((a, b) => a - b)
      return {
        n,
        failed,
        cpuPerRequest: cpu / n,
        wallMs: performance.now() - start,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
      }
    }

    await step(RATE, 5)
    // What the gateway burns with no request (the live feed's bus polling, timers), apart.
    const idle0 = cpuMs()
    await new Promise((r) => setTimeout(r, 5000))
    const idlePerSecond = (cpuMs() - idle0) / 5
    console.log(`idle: ${idlePerSecond.toFixed(1)} CPU ms/s`)
    const results = []
    for (let s = 1; s <= STEPS; s++) {
      const r = await step(RATE, SECONDS)
      results.push(r)
      console.log(
        `step ${s}: ${r.n} requests at ${RATE}/s, ${r.failed} failed, p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms, ` +
          `gateway ${r.cpuPerRequest.toFixed(3)} CPU ms/request (${(r.cpuPerRequest - (idlePerSecond * r.wallMs) / 1000 / r.n).toFixed(3)} above idle)`,
      )
      if (r.failed) throw new Error(`${r.failed} requests failed`)
    }
    const median = (xs: number[]) => xs.toSorted((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(
      `gateway_cpu_ms_per_request=${median(results.map((r) => r.cpuPerRequest)).toFixed(3)} p99_ms=${median(results.map((r) => r.p99)).toFixed(1)}`,
    )
  }
} finally {
  await stopServices(gateway)
  for (const stop of stops) await stop()
  await server.stop()
  await rm(logDir, { recursive: true, force: true })
}
