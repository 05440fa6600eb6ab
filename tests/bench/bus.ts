// npm run bench:bus — events through outbox → relay → broker → consumer with inbox, beside
// pgbench -N TPS on the same PostgreSQL server in the same run.
//   BUS: the broker, pglog (default: the PostgreSQL log, a fresh database per phase) or nats (a
//   3-node JetStream cluster on loopback, started here, 3 replicas); several comma-separated
//   (BUS=pglog,nats) run one after the other inside every run, so their figures share the run's noise.
//   RUNS (3), SECONDS (10) per phase, PRODUCERS (8) concurrent producer transactions.
//   PUBLISH_BATCHES=N: instead, only the broker's publish: N batches of 500 records (random keys,
//   over 8 partitions, as a relay's batch) per broker, milliseconds per batch.
//   DEBUG_LATENCY=1: latency split by stage. STATEMENTS=1: SQL statements per event on the pglog bus
//   database (pg_stat_statements, preloaded) and its top statements with rows per call.
// Last lines, one per broker: bus=K events_per_s=N p99_ms=L pgbench_tps=M ratio=R (medians over the
// runs; p99_ms at half the peak rate); with two brokers then: B/A events_ratio=X p99_ratio=Y
// (medians of the per-run ratios).
import { randomUUID } from 'node:crypto'
import { newEnvelope, topicOf } from '@brokerage/contracts'
import { createDb, databaseUrl, ensureDatabase, migrate, type Db } from '@brokerage/platform/postgres'
import type { MessageBus } from '@brokerage/platform/messaging'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { createNatsBus, type NatsBus } from '@brokerage/platform/messaging/nats'
import { requireNatsServer, startNatsServers, type NatsServers } from '@brokerage/platform/messaging/nats-server'
import { createEventCodec, createOutbox, OUTBOX_MIGRATIONS, startEventConsumer, startRelay } from '@brokerage/platform/events'
import { benchServer, fmt, percentile, pgbenchTps, summary } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 10)
const PRODUCERS = Number(process.env.PRODUCERS ?? 8)
// Events each producer transaction commits: a service's transaction often emits several; 1 makes
// the producers' own single-row commits the limit (the same work pgbench measures).
const EVENTS_PER_TX = Number(process.env.EVENTS_PER_TX ?? 10)
const STATEMENTS = process.env.STATEMENTS === '1'
const BUS_KINDS = ['pglog', 'nats'] as const
type BusKind = (typeof BUS_KINDS)[number]
const BUSES = (process.env.BUS ?? 'pglog').split(',').map((s) => s.trim()) as BusKind[]
for (const b of BUSES) if (!BUS_KINDS.includes(b)) throw new Error(`BUS=${b}: the bench runs on ${BUS_KINDS.join(', ')} (comma-separated)`)

interface PhaseResult {
  produced: number
  consumed: number
  eventsPerSecond: number
  p50: number
  p99: number
}

async function freshDb(serverUrl: string, name: string): Promise<{ url: string; db: Db }> {
  await ensureDatabase(serverUrl, name)
  const url = databaseUrl(serverUrl, name)
  return { url, db: createDb({ url, max: PRODUCERS + 4 }) }
}

/** A broker as the phase gets it: empty, and dropped again afterwards. */
interface PhaseBus {
  bus: MessageBus
  /** The pglog bus database's name (for STATEMENTS), none on NATS. */
  database?: string
  dispose(): Promise<void>
}

async function openBus(kind: BusKind, serverUrl: string, nats: NatsServers | null, suffix: string): Promise<PhaseBus> {
  if (kind === 'pglog') {
    const name = `bench_bus_${suffix}`
    await ensureDatabase(serverUrl, name)
    const bus = await createPgLogBus({ url: databaseUrl(serverUrl, name) })
    return { bus, database: name, dispose: () => bus.close() }
  }
  const bus: NatsBus = await createNatsBus({ servers: nats!.url, name: `bench-${suffix}` })
  return {
    bus,
    async dispose() {
      // Every stream goes (partitions, offsets, group buckets), so the next phase starts on an empty
      // cluster as pglog's phases start on a fresh database.
      const names: string[] = []
      for await (const s of bus.jsm.streams.names()) names.push(s)
      await Promise.all(names.map((n) => bus.jsm.streams.delete(n)))
      await bus.close()
    },
  }
}

/** One phase: producers commit events (EVENTS_PER_TX per transaction) for `seconds`, at most `rate` per second in all. */
async function phase(
  kind: BusKind,
  serverUrl: string,
  nats: NatsServers | null,
  label: string,
  seconds: number,
  rate: number | null,
): Promise<PhaseResult> {
  const suffix = randomUUID().slice(0, 8)
  const producer = await freshDb(serverUrl, `bench_prod_${suffix}`)
  const consumer = await freshDb(serverUrl, `bench_cons_${suffix}`)
  await migrate(producer.db, 'platform', OUTBOX_MIGRATIONS)
  await migrate(consumer.db, 'platform', OUTBOX_MIGRATIONS)
  await producer.db.query('CREATE TABLE deposits (id uuid PRIMARY KEY, amount bigint NOT NULL)')
  await consumer.db.query('CREATE TABLE effects (id uuid PRIMARY KEY, amount bigint NOT NULL)')
  // The topic the bench's event type is published on, wherever the catalogue puts it.
  const topic = topicOf('DepositRequested')
  const broker = await openBus(kind, serverUrl, nats, suffix)
  const bus = broker.bus
  await bus.ensureTopic(topic)
  const codec = createEventCodec()
  const relay = startRelay({ db: producer.db, bus, url: producer.url })
  const outbox = createOutbox(codec, { db: producer.db, localRelay: () => relay })

  const latencies: number[] = []
  const commitLatencies: number[] = []
  const logLatencies: number[] = []
  const committedAt = new Map<string, number>()
  let consumed = 0
  let lastConsumedAt = 0
  let produced = 0
  let doneProducing = false
  let resolveDrained!: () => void
  const drained = new Promise<void>((r) => (resolveDrained = r))
  const group = await startEventConsumer({
    db: consumer.db,
    bus,
    codec,
    // A group of its own per phase: on NATS the committed offsets outlive the phase's streams.
    groupId: `bench-${suffix}`,
    topics: [topic],
    maxBatchSize: 500,
    handlers: {
      DepositRequested: async (event, { tx, message }) => {
        logLatencies.push(Date.now() - message.timestamp.getTime())
        const data = event.data as { movementId: string; amount: number }
        await tx.query('INSERT INTO effects (id, amount) VALUES ($1, $2)', [data.movementId, data.amount])
      },
    },
    onOutcome: ({ outcome }) => {
      if (outcome !== 'ok') return
      consumed++
      lastConsumedAt = performance.now()
      if (doneProducing && consumed >= produced) resolveDrained()
    },
    around: async (event, fn) => {
      const result = await fn()
      latencies.push(Date.now() - Date.parse(event.occurredAt))
      const c = committedAt.get(event.id)
      if (c !== undefined) commitLatencies.push(performance.now() - c)
      return result
    },
  })
  await group.ready()

  const admin = STATEMENTS && broker.database ? createDb({ url: serverUrl, max: 1, applicationName: 'bench' }) : null
  if (admin) {
    await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    await admin.query('SELECT pg_stat_statements_reset()')
  }
  const start = performance.now()
  const end = start + seconds * 1000
  const perProducerInterval = rate ? (1000 * PRODUCERS * EVENTS_PER_TX) / rate : 0
  await Promise.all(
    Array.from({ length: PRODUCERS }, async (_, w) => {
      let next = start + (perProducerInterval * w) / PRODUCERS
      while (performance.now() < end) {
        if (rate) {
          const wait = next - performance.now()
          if (wait > 0) await new Promise((r) => setTimeout(r, wait))
          next += perProducerInterval
        }
        const events = Array.from({ length: EVENTS_PER_TX }, () =>
          newEnvelope('DepositRequested', {
            movementId: randomUUID(),
            customerId: randomUUID(),
            assetName: 'TRY',
            amount: 100,
            requestedAt: new Date().toISOString(),
          }),
        )
        await producer.db.tx(async (tx) => {
          await tx.query('INSERT INTO deposits (id, amount) SELECT unnest($1::uuid[]), 100', [events.map((e) => e.data.movementId)])
          await outbox.add(tx, ...events)
        })
        const now = performance.now()
        for (const e of events) committedAt.set(e.id, now)
        produced += EVENTS_PER_TX
      }
    }),
  )
  doneProducing = true
  if (consumed >= produced) resolveDrained()
  await drained
  const elapsed = (lastConsumedAt - start) / 1000
  if (admin) {
    // Read before stopping, so the figures are the steady state's, not the shutdown's.
    const { rows } = await admin.query<{ calls: string; rows: string; query: string }>(
      `SELECT s.calls, s.rows, s.query FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
       WHERE d.datname = $1 ORDER BY s.calls DESC`,
      [broker.database],
    )
    await admin.close()
    const total = rows.reduce((a, r) => a + Number(r.calls), 0)
    console.log(`  bus database: ${fmt(total / consumed, 3)} statements per event (${total} for ${consumed} events)`)
    for (const r of rows.slice(0, 8))
      console.log(
        `    ${fmt(Number(r.calls) / consumed, 3).padStart(7)} calls/event ${fmt(Number(r.rows) / Number(r.calls), 2).padStart(7)} rows/call  ${r.query.replace(/\s+/g, ' ').slice(0, 90)}`,
      )
  }
  await group.stop()
  await relay.stop()
  await broker.dispose()
  await producer.db.close()
  await consumer.db.close()
  latencies.sort((a, b) => a - b)
  commitLatencies.sort((a, b) => a - b)
  logLatencies.sort((a, b) => a - b)
  if (process.env.DEBUG_LATENCY)
    console.log(`  appended→handled p50 ${fmt(percentile(logLatencies, 50))} p99 ${fmt(percentile(logLatencies, 99))}`)
  if (process.env.DEBUG_LATENCY)
    console.log(`  commit→consumed p50 ${fmt(percentile(commitLatencies, 50))} p99 ${fmt(percentile(commitLatencies, 99))}`)
  const r = { produced, consumed, eventsPerSecond: consumed / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
  console.log(
    `  ${kind} ${label}: ${r.consumed} events in ${fmt(elapsed, 1)} s = ${fmt(r.eventsPerSecond)} events/s, latency p50 ${r.p50} ms p99 ${r.p99} ms`,
  )
  return r
}

/** The broker's publish alone: what a relay's full batch costs, without the producers and consumer around it. */
async function publishOnly(kind: BusKind, serverUrl: string, nats: NatsServers | null, batches: number) {
  const broker = await openBus(kind, serverUrl, nats, randomUUID().slice(0, 8))
  const topic = topicOf('DepositRequested')
  await broker.bus.ensureTopic(topic)
  // Records shaped as the outbox's: an event id among their headers (NATS de-duplicates on it).
  const batch = () =>
    Array.from({ length: 500 }, () => ({
      topic,
      key: randomUUID(),
      value: Buffer.alloc(300, 1),
      headers: { 'event-id': randomUUID(), 'event-type': 'DepositRequested' },
    }))
  await broker.bus.publish(batch())
  const ms: number[] = []
  for (let i = 0; i < batches; i++) {
    const records = batch()
    const t0 = performance.now()
    await broker.bus.publish(records)
    ms.push(performance.now() - t0)
  }
  await broker.dispose()
  const s = summary(ms)
  console.log(
    `${kind.padEnd(6)} ms per 500-record publish: min ${fmt(s.min)} median ${fmt(s.median)} max ${fmt(s.max)} (${fmt(500_000 / s.median)} records/s at the median)`,
  )
}

if (BUSES.includes('nats')) requireNatsServer('BUS=nats npm run bench:bus', true)
const server = await benchServer(STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements' } : undefined)
let nats: NatsServers | null = null
try {
  if (BUSES.includes('nats')) {
    nats = await startNatsServers({ nodes: 3 })
    console.log(`NATS JetStream cluster of 3 nodes: ${nats.url}`)
  }
  if (process.env.PUBLISH_BATCHES) {
    for (const kind of BUSES) await publishOnly(kind, server.url, nats, Number(process.env.PUBLISH_BATCHES))
  } else await fullRuns(server.url, nats)
} finally {
  await nats?.stop()
  await server.stop()
}

async function fullRuns(serverUrl: string, nats: NatsServers | null) {
  const tpss: number[] = []
  const figures = new Map(
    BUSES.map((b) => [b, { peaks: [] as number[], ratios: [] as number[], halfP50: [] as number[], halfP99: [] as number[] }]),
  )
  for (let i = 1; i <= RUNS; i++) {
    console.log(`run ${i}/${RUNS}`)
    const tps = await pgbenchTps(serverUrl, { seconds: SECONDS, clients: PRODUCERS })
    console.log(`  pgbench -N -c ${PRODUCERS}: ${fmt(tps)} tps`)
    tpss.push(tps)
    // Every other run in the opposite order, so neither broker always gets the run's warmer or quieter half.
    const order = i % 2 ? BUSES : [...BUSES].reverse()
    for (const kind of order) {
      const f = figures.get(kind)!
      const peak = await phase(kind, serverUrl, nats, 'peak', SECONDS, null)
      const half = await phase(kind, serverUrl, nats, `half rate (${fmt(peak.eventsPerSecond / 2)}/s)`, SECONDS, peak.eventsPerSecond / 2)
      f.peaks.push(peak.eventsPerSecond)
      f.ratios.push(peak.eventsPerSecond / tps)
      f.halfP50.push(half.p50)
      f.halfP99.push(half.p99)
    }
  }
  const show = (name: string, v: number[], d = 0) => {
    const s = summary(v)
    console.log(`${name.padEnd(40)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  console.log(
    `\nsummary over ${RUNS} runs (${SECONDS} s phases, ${PRODUCERS} producers / pgbench clients, ${EVENTS_PER_TX} events per producer transaction)`,
  )
  show('pgbench -N tps', tpss)
  for (const [kind, f] of figures) {
    show(`${kind} events/s (peak)`, f.peaks)
    show(`${kind} ratio events/pgbench`, f.ratios, 2)
    show(`${kind} p50 ms at half peak`, f.halfP50)
    show(`${kind} p99 ms at half peak`, f.halfP99)
  }
  const [a, b] = BUSES
  const ratioLine: string[] = []
  if (a && b) {
    const fa = figures.get(a)!
    const fb = figures.get(b)!
    const events = fb.peaks.map((v, i) => v / fa.peaks[i]!)
    const p99 = fb.halfP99.map((v, i) => v / fa.halfP99[i]!)
    show(`${b}/${a} events/s, same run`, events, 2)
    show(`${b}/${a} p99 at half peak, same run`, p99, 2)
    ratioLine.push(`${b}/${a} events_ratio=${fmt(summary(events).median, 2)} p99_ratio=${fmt(summary(p99).median, 2)}`)
  }
  for (const [kind, f] of figures)
    console.log(
      `bus=${kind} events_per_s=${fmt(summary(f.peaks).median)} p99_ms=${fmt(summary(f.halfP99).median)} pgbench_tps=${fmt(summary(tpss).median)} ratio=${fmt(summary(f.ratios).median, 2)}`,
    )
  for (const l of ratioLine) console.log(l)
}
