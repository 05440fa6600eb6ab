// npm run bench:bus — events through outbox → relay → PostgreSQL log → consumer with inbox,
// beside pgbench -N TPS on the same server in the same run.
//   RUNS (3), SECONDS (10) per phase, PRODUCERS (8) concurrent producer transactions.
//   DEBUG_LATENCY=1: latency split by stage. STATEMENTS=1: SQL statements per event on the bus
//   database (pg_stat_statements, preloaded) and its top statements with rows per call.
// Last line: events_per_s=N p99_ms=L pgbench_tps=M ratio=R (medians over the runs; p99_ms at half the peak rate).
import { randomUUID } from 'node:crypto'
import { newEnvelope, topicOf } from '@brokerage/contracts'
import { createDb, databaseUrl, ensureDatabase, migrate, type Db } from '@brokerage/platform/postgres'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { createEventCodec, createOutbox, OUTBOX_MIGRATIONS, startEventConsumer, startRelay } from '@brokerage/platform/events'
import { benchServer, fmt, percentile, pgbenchTps, summary } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 10)
const PRODUCERS = Number(process.env.PRODUCERS ?? 8)
// Events each producer transaction commits: a service's transaction often emits several; 1 makes
// the producers' own single-row commits the limit (the same work pgbench measures).
const EVENTS_PER_TX = Number(process.env.EVENTS_PER_TX ?? 10)
const STATEMENTS = process.env.STATEMENTS === '1'

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

/** One phase: producers commit events (one per transaction) for `seconds`, at most `rate` per second in all. */
async function phase(serverUrl: string, label: string, seconds: number, rate: number | null): Promise<PhaseResult> {
  const suffix = randomUUID().slice(0, 8)
  const bus = await freshDb(serverUrl, `bench_bus_${suffix}`)
  const producer = await freshDb(serverUrl, `bench_prod_${suffix}`)
  const consumer = await freshDb(serverUrl, `bench_cons_${suffix}`)
  await bus.db.close()
  await migrate(producer.db, 'platform', OUTBOX_MIGRATIONS)
  await migrate(consumer.db, 'platform', OUTBOX_MIGRATIONS)
  await producer.db.query('CREATE TABLE deposits (id uuid PRIMARY KEY, amount bigint NOT NULL)')
  await consumer.db.query('CREATE TABLE effects (id uuid PRIMARY KEY, amount bigint NOT NULL)')
  const logBus = await createPgLogBus({ url: bus.url })
  // The topic the bench's event type is published on, wherever the catalogue puts it.
  const topic = topicOf('DepositRequested')
  await logBus.ensureTopic(topic)
  const codec = createEventCodec()
  const relay = startRelay({ db: producer.db, bus: logBus, url: producer.url })
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
    bus: logBus,
    codec,
    groupId: 'bench',
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

  const admin = STATEMENTS ? createDb({ url: serverUrl, max: 1, applicationName: 'bench' }) : null
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
      [`bench_bus_${suffix}`],
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
  await logBus.close()
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
    `  ${label}: ${r.consumed} events in ${fmt(elapsed, 1)} s = ${fmt(r.eventsPerSecond)} events/s, latency p50 ${r.p50} ms p99 ${r.p99} ms`,
  )
  return r
}

const server = await benchServer(STATEMENTS ? { shared_preload_libraries: 'pg_stat_statements' } : undefined)
try {
  const peaks: number[] = []
  const tpss: number[] = []
  const ratios: number[] = []
  const halfP99: number[] = []
  const halfP50: number[] = []
  for (let i = 1; i <= RUNS; i++) {
    console.log(`run ${i}/${RUNS}`)
    const tps = await pgbenchTps(server.url, { seconds: SECONDS, clients: PRODUCERS })
    console.log(`  pgbench -N -c ${PRODUCERS}: ${fmt(tps)} tps`)
    const peak = await phase(server.url, 'peak', SECONDS, null)
    const half = await phase(server.url, `half rate (${fmt(peak.eventsPerSecond / 2)}/s)`, SECONDS, peak.eventsPerSecond / 2)
    peaks.push(peak.eventsPerSecond)
    tpss.push(tps)
    ratios.push(peak.eventsPerSecond / tps)
    halfP99.push(half.p99)
    halfP50.push(half.p50)
  }
  const show = (name: string, v: number[], d = 0) => {
    const s = summary(v)
    console.log(`${name.padEnd(28)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  console.log(
    `\nsummary over ${RUNS} runs (${SECONDS} s phases, ${PRODUCERS} producers / pgbench clients, ${EVENTS_PER_TX} events per producer transaction)`,
  )
  show('events/s (peak)', peaks)
  show('pgbench -N tps', tpss)
  show('ratio events/pgbench', ratios, 2)
  show('p50 ms at half peak', halfP50)
  show('p99 ms at half peak', halfP99)
  console.log(
    `events_per_s=${fmt(summary(peaks).median)} p99_ms=${fmt(summary(halfP99).median)} pgbench_tps=${fmt(summary(tpss).median)} ratio=${fmt(summary(ratios).median, 2)}`,
  )
} finally {
  await server.stop()
}
