// `npm run chaos -- --seed N --minutes M`: a deterministic fault-injection run in the spirit of
// TigerBeetle's simulator and Jepsen's bank test. The platform starts as `npm start` starts it
// (scripts/platform.ts, compiled services, an embedded PostgreSQL); many customers trade while,
// at moments the seed chooses, services are SIGKILLed (one or several) and restarted,
// PostgreSQL is frozen (SIGSTOP/SIGCONT), service connections are terminated, a poison
// message is published, a consumer is slowed (SIGSTOP for a while), deliveries are
// duplicated (records appended again; a group's committed offset moved back) and delayed
// (one group kept off one topic while it reads its others). Then the platform settles and
// SPEC §2's invariants are checked across the services' own databases, with the inboxes:
// each event processed exactly once per group. The same seed makes the same fault schedule
// (printed first); the operations between the faults follow the seed as timing allows.
import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { connectBus, listDeadLetters } from '@brokerage/platform/messaging'
import { databaseUrl } from '@brokerage/platform/postgres'
import { startEmbeddedPostgres } from '@brokerage/platform/postgres/embedded'
import { freePort, seededRandom } from '@brokerage/platform/testing'
import {
  existingServices,
  startService,
  startServices,
  stopServices,
  type RunningService,
  type StartOptions,
} from '../../scripts/platform.js'
import { BUS_DATABASE, TOPOLOGY } from '../../scripts/topology.js'
import { checkConservation } from '../../services/asset/src/conservation.js'
import { CONSUMER_GROUP as ASSET_GROUP } from '../../services/asset/src/app.js'
import { createHandlers as assetHandlers } from '../../services/asset/src/handlers.js'
import { createSettlementHandlers, SETTLEMENT_GROUP } from '../../services/asset/src/settlement.js'
import { CONSUMER_GROUP as CUSTOMER_GROUP } from '../../services/customer/src/app.js'
import { createMovementHandlers } from '../../services/customer/src/handlers.js'
import { CONSUMER_GROUP as NOTIFICATION_GROUP, TOPICS_READ as NOTIFICATION_TOPICS } from '../../services/notification/src/app.js'
import { createNotificationHandlers } from '../../services/notification/src/handlers.js'
import { CONSUMED_TOPICS as ORDER_TOPICS, createHandlers as orderHandlers } from '../../services/order/src/handlers.js'
import { createEngineHandlers, ENGINE_TOPICS } from '../../services/order-processor/src/handlers.js'
import { createSettlementSaga, SAGA_TOPICS } from '../../services/order-processor/src/saga.js'
import { TOPICS } from '@brokerage/contracts'

export interface ChaosResult {
  seed: number
  faults: number
  /** Faults injected, by kind. */
  faultsByKind: Record<string, number>
  operations: number
  violations: string[]
}

const RESTING = ['CONFIRMED', 'PARTIALLY_FILLED']
const FINAL = ['MATCHED', 'REJECTED', 'CANCELED', 'FAILED']
const SERVICES_KILLABLE = ['customer', 'asset', 'order', 'order-processor', 'notification', 'audit', 'gateway']
const FAULT_KINDS = ['kill', 'kill-several', 'pg-stop', 'pg-terminate', 'poison', 'slow-consumer', 'duplicate', 'rewind', 'delay'] as const
type FaultKind = (typeof FAULT_KINDS)[number]

// The handler maps are only read for their keys (the event types each group handles): no
// dependency is touched while they are built.
const none = {} as never
/** Every consumer group with an inbox: its service, the topics it reads, the event types it handles. */
const GROUPS = [
  { group: ASSET_GROUP, service: 'asset', topics: [TOPICS.customer, TOPICS.order], handlers: assetHandlers(none) },
  { group: SETTLEMENT_GROUP, service: 'asset', topics: [TOPICS.trade, TOPICS.processor], handlers: createSettlementHandlers(none) },
  { group: CUSTOMER_GROUP, service: 'customer', topics: [TOPICS.assetMovements], handlers: createMovementHandlers(none) },
  { group: NOTIFICATION_GROUP, service: 'notification', topics: NOTIFICATION_TOPICS, handlers: createNotificationHandlers(none) },
  { group: 'order', service: 'order', topics: ORDER_TOPICS, handlers: orderHandlers(none) },
  { group: 'order-processor-engine', service: 'order-processor', topics: ENGINE_TOPICS, handlers: createEngineHandlers(none) },
  { group: 'order-processor-saga', service: 'order-processor', topics: SAGA_TOPICS, handlers: createSettlementSaga(none).handlers },
].map((g) => ({ ...g, types: Object.keys(g.handlers) }))
const EVENT_TOPICS = [...new Set(GROUPS.flatMap((g) => g.topics))].sort()

export async function runChaos(opts: {
  seed: number
  minutes: number
  customers?: number
  log?: (line: string) => void
}): Promise<ChaosResult> {
  const log = opts.log ?? (() => {})
  const rand = seededRandom(opts.seed)
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1))
  const durationMs = opts.minutes * 60_000

  const dir = await mkdtemp(join(tmpdir(), `brokerage-chaos-${opts.seed}-`))
  // CHAOS_KEEP=1 keeps the logs and the databases (the server stopped) to look into a failure.
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: !!process.env.CHAOS_KEEP })
  const ports: StartOptions['ports'] = {}
  for (const s of existingServices()) ports[s.name] = { http: await freePort(), grpc: await freePort(), ops: await freePort() }
  const startOpts: StartOptions = {
    serverUrl: server.url,
    logDir: join(dir, 'logs'),
    ports,
    env: { NODE_ENV: 'development', LOG_LEVEL: 'warn', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin' },
  }
  let services: RunningService[] = []
  const stopped = new Set<number>()
  const pools: pg.Pool[] = []
  const db = (database: string) => {
    const pool = new pg.Pool({ connectionString: databaseUrl(server.url, database), max: 2 })
    pool.on('error', () => {})
    pools.push(pool)
    return pool
  }
  try {
    services = await startServices(startOpts)
    const find = (name: string) => services.find((s) => s.spec.name === name)!
    const gatewayUrl = () => find('gateway').httpUrl

    async function api(method: string, path: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) {
      const h: Record<string, string> = { ...headers }
      if (token) h.authorization = `Bearer ${token}`
      if (body !== undefined) h['content-type'] = 'application/json'
      try {
        const res = await fetch(`${gatewayUrl()}/api/v1${path}`, {
          method,
          headers: h,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        })
        const text = await res.text()
        return { status: res.status, body: text ? JSON.parse(text) : null }
      } catch {
        return { status: 0, body: null } // the gateway is down or frozen: the load carries on
      }
    }
    const login = async (username: string, password: string) => {
      const res = await api('POST', '/auth/login', null, { username, password })
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`)
      return res.body.access_token as string
    }

    // Set-up, before any fault: customers with cash and stock, a crossing market.
    const admin = await login('admin', 'admin')
    const customers: Array<{ id: string; token: string }> = []
    for (let i = 0; i < (opts.customers ?? 8); i++) {
      const email = `chaos-${i}-${randomUUID().slice(0, 8)}@example.com`
      const c = await api('POST', '/customers', admin, { name: `Chaos ${i}`, email, password: 'chaos-password', tier: 'VIP' })
      if (c.status !== 201) throw new Error(`create customer: ${c.status} ${JSON.stringify(c.body)}`)
      for (const [assetName, amount] of [
        ['TRY', 50_000_000],
        ['AAPL', 10_000],
      ] as const)
        await api('POST', `/customers/${c.body.id}/deposits`, admin, { amount, assetName })
      customers.push({ id: c.body.id, token: await login(email, 'chaos-password') })
    }
    await api('PUT', '/markets/AAPL', admin, { crossing: true })

    // The fault schedule, all drawn from the seed before the load starts.
    // Targets: services for kills and stops, a topic for duplicates, a group (and one of its
    // topics) for a rewind or a delay; `count` is how many records a duplicate or rewind repeats.
    type Fault = { at: number; kind: FaultKind; targets: string[]; holdMs: number; count: number }
    const schedule: Fault[] = []
    for (let at = 10_000 + int(0, 10_000); at < durationMs * 0.8; at += int(12_000, 25_000)) {
      const kind = pick(FAULT_KINDS)
      const group = pick(GROUPS)
      const targets =
        kind === 'kill' || kind === 'slow-consumer'
          ? [pick(SERVICES_KILLABLE)]
          : kind === 'kill-several'
            ? [...new Set([pick(SERVICES_KILLABLE), pick(SERVICES_KILLABLE), pick(SERVICES_KILLABLE)])]
            : kind === 'duplicate'
              ? [pick(EVENT_TOPICS)]
              : kind === 'rewind'
                ? [group.group]
                : kind === 'delay'
                  ? [group.group, pick(group.topics)]
                  : []
      schedule.push({ at, kind, targets, holdMs: int(2_000, 8_000), count: int(5, 60) })
    }
    log(
      `  schedule: ${schedule.map((f) => `${Math.round(f.at / 1000)}s ${f.kind}${f.targets.length ? ` ${f.targets.join('/')}` : ''}`).join(', ')}`,
    )

    const bus = await connectBus({ kind: 'pglog', url: databaseUrl(server.url, BUS_DATABASE) })
    const poisonKeys: string[] = []
    const serverAdmin = db('postgres')
    const busDb = db(BUS_DATABASE)
    const pgPids = async () => {
      const postmaster = Number((await readFile(join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0])
      const pids = [postmaster]
      for (const entry of await readdir('/proc')) {
        if (!/^\d+$/.test(entry)) continue
        const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry))
      }
      return pids
    }
    const signal = (pids: number[], sig: NodeJS.Signals) => {
      for (const pid of pids) {
        try {
          process.kill(pid, sig)
          if (sig === 'SIGSTOP') stopped.add(pid)
          else if (sig === 'SIGCONT') stopped.delete(pid)
        } catch {}
      }
    }
    const hold = (ms: number) => new Promise((r) => setTimeout(r, ms))
    async function restart(name: string) {
      const old = find(name)
      if (old.child.exitCode === null && old.child.signalCode === null) {
        const exited = new Promise((r) => old.child.once('exit', r))
        old.child.kill('SIGKILL')
        await exited
      }
      const fresh = await startService(old.spec, old.env, startOpts)
      services[services.indexOf(old)] = fresh
    }
    async function inject(f: Fault) {
      switch (f.kind) {
        case 'kill':
        case 'kill-several':
          // Killed together, restarted in topology order (the gateway last, as at start-up).
          for (const name of f.targets) find(name).child.kill('SIGKILL')
          await hold(f.holdMs / 4)
          for (const spec of TOPOLOGY) if (f.targets.includes(spec.name)) await restart(spec.name)
          return
        case 'pg-stop': {
          const pids = await pgPids()
          signal(pids, 'SIGSTOP')
          await hold(f.holdMs)
          signal(pids, 'SIGCONT')
          return
        }
        case 'pg-terminate':
          await serverAdmin.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname LIKE 'brokerage_%'`,
          )
          return
        case 'poison': {
          const key = randomUUID()
          poisonKeys.push(key)
          await bus.publish([{ topic: 'customer.events', key, value: Buffer.from(`poison ${opts.seed} ${key}`) }])
          return
        }
        case 'slow-consumer': {
          const pid = find(f.targets[0]!).child.pid!
          signal([pid], 'SIGSTOP')
          await hold(f.holdMs)
          signal([pid], 'SIGCONT')
          return
        }
        case 'duplicate': {
          // The topic's latest records, appended again as they were (same key, so same partition):
          // every group reading it gets them a second time, after what came since.
          const { rows } = await busDb.query<{ key: string; value: Buffer; headers: Record<string, string> }>(
            `SELECT key, value, headers FROM (SELECT * FROM bus_log WHERE topic = $1 AND headers ? 'event-id' ORDER BY ts DESC LIMIT $2) l
             ORDER BY ts`,
            [f.targets[0], f.count],
          )
          await bus.publish(rows.map((r) => ({ topic: f.targets[0]!, key: r.key, value: r.value, headers: r.headers })))
          return
        }
        case 'rewind':
          // The group's committed offsets moved back, then its members cut off: they join again
          // and read from there, getting a batch they have handled once more.
          await busDb.query(`UPDATE bus_offsets SET committed = greatest(0, committed - $2) WHERE group_id = $1`, [f.targets[0], f.count])
          await busDb.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`bus:${f.targets[0]}`])
          return
        case 'delay': {
          // The group's members are cut off and, while they join again, this connection holds
          // the partition locks of one of its topics: that topic's deliveries wait while the
          // group's other topics flow, so its events arrive late and out of step with them.
          const [group, topic] = f.targets as [string, string]
          const holder = new pg.Client({ connectionString: databaseUrl(server.url, BUS_DATABASE), application_name: 'chaos-delay' })
          holder.on('error', () => {})
          await holder.connect()
          try {
            // Bounded: should a member take a lock back first, the delay is shorter, not stuck.
            await holder.query(`SET statement_timeout = '5s'`)
            await busDb.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [`bus:${group}`])
            await holder
              .query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2 || '/' || partition)) FROM bus_partitions WHERE topic = $2`, [
                group,
                topic,
              ])
              .catch(() => {})
            await hold(f.holdMs)
          } finally {
            await holder.end().catch(() => {})
          }
          return
        }
      }
    }

    let operations = 0
    let faults = 0
    const faultsByKind: Record<string, number> = {}
    const openOrders: Array<{ id: string; token: string }> = []
    const start = Date.now()
    const faultsDone = (async () => {
      for (const f of schedule) {
        const wait = start + f.at - Date.now()
        if (wait > 0) await hold(wait)
        log(`  fault at ${Math.round((Date.now() - start) / 1000)}s: ${f.kind}${f.targets.length ? ` ${f.targets.join(',')}` : ''}`)
        await inject(f)
        faults++
        faultsByKind[f.kind] = (faultsByKind[f.kind] ?? 0) + 1
      }
    })()
    // A few customers act at once; each step's choice comes from the seed.
    const worker = async () => {
      while (Date.now() - start < durationMs) {
        const c = pick(customers)
        const op = rand()
        operations++
        if (op < 0.1) await api('POST', `/customers/${c.id}/deposits`, c.token, { amount: int(1, 100_000) })
        else if (op < 0.18)
          await api('POST', `/customers/${c.id}/withdrawals`, c.token, { amount: int(1, 50_000), iban: 'TR330006100519786457841326' })
        else if (op < 0.7) {
          const res = await api('POST', '/orders', c.token, {
            customerId: c.id,
            assetName: 'AAPL',
            side: rand() < 0.5 ? 'BUY' : 'SELL',
            size: int(1, 20),
            price: int(95, 105),
          })
          if (res.status === 202 || res.status === 200) openOrders.push({ id: res.body.id, token: c.token })
        } else if (op < 0.85 && openOrders.length) {
          const o = openOrders.splice(Math.floor(rand() * openOrders.length), 1)[0]!
          await api('DELETE', `/orders/${o.id}`, o.token)
        } else if (openOrders.length) {
          await api('POST', `/orders/${pick(openOrders).id}/match`, admin)
        }
      }
    }
    await Promise.all([faultsDone, worker(), worker(), worker()])

    // Settle: every service up and ready, then the invariants re-read until they hold (bounded).
    for (const s of services) if (s.child.exitCode !== null || s.child.signalCode !== null) await restart(s.spec.name)
    const databases = Object.fromEntries(TOPOLOGY.map((s) => [s.name, db(s.database)]))
    let violations: string[] = []
    const deadline = Date.now() + 120_000
    for (;;) {
      violations = await checkInvariants(databases, busDb, bus, poisonKeys)
      if (!violations.length || Date.now() > deadline) break
      await hold(2_000)
    }
    await bus.close?.()
    return { seed: opts.seed, faults, faultsByKind, operations, violations }
  } finally {
    for (const pid of stopped) {
      try {
        process.kill(pid, 'SIGCONT')
      } catch {}
    }
    await Promise.all(pools.map((p) => p.end().catch(() => {})))
    await stopServices(services).catch(() => {})
    await server.stop().catch(() => {})
    if (!process.env.CHAOS_KEEP) await rm(dir, { recursive: true, force: true })
    else log(`  kept: ${dir}`)
  }
}

async function checkInvariants(
  dbs: Record<string, pg.Pool>,
  busDb: pg.Pool,
  bus: Awaited<ReturnType<typeof connectBus>>,
  poisonKeys: string[],
) {
  const out: string[] = []
  for (const v of await checkConservation(dbs['asset']!))
    out.push(`${v.rule} ${v.assetName} ${v.customerId ?? v.tradeId ?? ''}: ${v.message}`)

  const orders = (
    await dbs['order']!.query<{
      id: string
      status: string
      side: string
      price: string
      size: string
      filled_size: string
      traded: string
    }>(
      `SELECT o.id, o.status, o.side, o.price::text, o.size::text, o.filled_size::text,
         coalesce((SELECT sum(t.size) FROM trades t WHERE t.order_id = o.id), 0)::text AS traded
       FROM orders o`,
    )
  ).rows
  const open = new Map<string, number>()
  for (const o of orders) {
    if (!RESTING.includes(o.status) && !FINAL.includes(o.status)) out.push(`ORDER_NOT_SETTLED ${o.id}: ${o.status}`)
    if (o.filled_size !== o.traded) out.push(`FILLED_NOT_TRADES ${o.id}: filledSize ${o.filled_size}, trades ${o.traded}`)
    if (RESTING.includes(o.status)) open.set(o.id, Number(o.size) - Number(o.filled_size))
  }

  const held = new Map(
    (
      await dbs['asset']!.query<{ order_id: string; held: string }>(
        `SELECT order_id, held_amount::text AS held FROM order_reservations WHERE held_amount <> 0`,
      )
    ).rows.map((r) => [r.order_id, Number(r.held)]),
  )
  const statusOf = new Map(orders.map((o) => [o.id, `${o.status}, filled ${o.filled_size}/${o.size}`]))
  for (const [id, amount] of held)
    if (!open.has(id))
      out.push(`RESERVATION_WITHOUT_OPEN_ORDER ${id}: holds ${amount}, the order is ${statusOf.get(id) ?? 'unknown to the order service'}`)
  // Settled, an open order holds exactly its remainder: remainder × limit in cash for a BUY, the units for a SELL.
  for (const o of orders) {
    const remainder = open.get(o.id)
    if (remainder === undefined) continue
    const need = o.side === 'BUY' ? remainder * Number(o.price) : remainder
    if ((held.get(o.id) ?? 0) !== need)
      out.push(`RESERVATION_NOT_REMAINDER ${o.id}: ${o.side} ${remainder} left at ${o.price} needs ${need}, holds ${held.get(o.id) ?? 0}`)
  }

  const book = new Map(
    (
      await dbs['order-processor']!.query<{ order_id: string; remaining: string }>(
        `SELECT order_id, remaining::text FROM book_orders WHERE remaining > 0`,
      )
    ).rows.map((r) => [r.order_id, Number(r.remaining)]),
  )
  for (const [id, remaining] of open)
    if (book.get(id) !== remaining) out.push(`BOOK_MISMATCH ${id}: open with ${remaining} left, book has ${book.get(id) ?? 'none'}`)
  for (const [id, remaining] of book) if (!open.has(id)) out.push(`BOOK_MISMATCH ${id}: on the book with ${remaining}, not an open order`)

  // Each group that consumes the poison's topic dead-letters its own copy: the same keys, once per group.
  const deadKeys = new Set((await listDeadLetters(bus)).map((d) => d.message.key))
  const strangers = [...deadKeys].filter((k) => !poisonKeys.includes(k))
  const missing = poisonKeys.filter((k) => !deadKeys.has(k))
  if (strangers.length || missing.length)
    out.push(`DLQ_NOT_POISON: dead letters not injected ${JSON.stringify(strangers)}, poison not dead-lettered ${JSON.stringify(missing)}`)

  out.push(...(await checkInboxes(dbs, busDb)))
  return out
}

/**
 * Exactly once per group: a group's inbox holds every event of the types it handles on the
 * topics it reads (each once, whatever number of times it was delivered), less those it
 * dead-lettered, and nothing else. The primary key makes "at most once"; this checks that
 * nothing was lost or invented.
 */
async function checkInboxes(dbs: Record<string, pg.Pool>, busDb: pg.Pool): Promise<string[]> {
  const out: string[] = []
  for (const g of GROUPS) {
    const logged = new Set(
      (
        await busDb.query<{ id: string }>(
          `SELECT DISTINCT headers->>'event-id' AS id FROM bus_log WHERE topic = ANY($1) AND headers->>'event-type' = ANY($2)`,
          [g.topics, g.types],
        )
      ).rows.map((r) => r.id),
    )
    const dead = new Set(
      (
        await busDb.query<{ id: string }>(
          `SELECT DISTINCT headers->>'event-id' AS id FROM bus_log
           WHERE topic = ANY($1) AND headers->>'dlq-group' = $2 AND headers ? 'event-id'`,
          [g.topics.map((t) => `${t}.dlq`), g.group],
        )
      ).rows.map((r) => r.id),
    )
    const inbox = new Set(
      (await dbs[g.service]!.query<{ id: string }>('SELECT event_id::text AS id FROM inbox WHERE group_id = $1', [g.group])).rows.map(
        (r) => r.id,
      ),
    )
    const lost = [...logged].filter((id) => !inbox.has(id) && !dead.has(id))
    const invented = [...inbox].filter((id) => !logged.has(id))
    const twice = [...inbox].filter((id) => dead.has(id))
    if (lost.length || invented.length || twice.length)
      out.push(
        `INBOX ${g.group}: ${logged.size} events on ${g.topics.join(',')}, ${inbox.size} in the inbox, ${dead.size} dead-lettered; ` +
          `not processed ${JSON.stringify(lost.slice(0, 5))}${lost.length > 5 ? ` (+${lost.length - 5})` : ''}, ` +
          `not on the log ${JSON.stringify(invented.slice(0, 5))}, processed and dead-lettered ${JSON.stringify(twice.slice(0, 5))}`,
      )
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seed: { type: 'string', multiple: true }, minutes: { type: 'string', default: '2' } } })
  const seeds = values.seed?.length ? values.seed.map(Number) : [Date.now() % 1_000_000]
  let failed = false
  for (const seed of seeds) {
    const r = await runChaos({ seed, minutes: Number(values.minutes), log: (l) => console.log(l) })
    const last = `seed=${r.seed} faults=${r.faults} operations=${r.operations} violations=${r.violations.length}`
    console.log(
      `  faults by kind: ${
        Object.entries(r.faultsByKind)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ') || 'none'
      }`,
    )
    for (const v of r.violations) console.log(`  violation: ${v}`)
    if (r.violations.length) {
      failed = true
      console.log(`  replay: npm run chaos -- --seed ${seed} --minutes ${values.minutes}`)
    }
    console.log(last)
  }
  process.exit(failed ? 1 : 0)
}
