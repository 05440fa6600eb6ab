// npm run bench:audit — the audit service against the bus, and its queries over a large log.
//
// 1. Ingest: producers commit events through the outbox at their peak; the relay publishes them
//    to the pglog bus; two consumer groups read the same topic in the same run: a consumer with
//    an inbox (the bus's rate, as bench:bus measures it) and the audit service's ingester (each
//    batch appended to the hash chain). Goal: audit events/s ≥ bus events/s (it keeps up at the peak).
// 2. Queries: EVENTS rows (1,000,000) of order sagas, deposits and security events are appended
//    straight into the audit tables through the service's own appender (so the chain is valid:
//    verify passes), then each query the gateway calls is timed QUERIES times: the trace of an
//    order and of a customer, a customer's compliance report (opening, closing, every page of
//    lines), and analytics over one day and over the whole period. Called in-process (no gRPC).
//
//   RUNS (3) ingest runs (0: the queries alone), SECONDS (10) of producing each, PRODUCERS (8), EVENTS_PER_TX (10),
//   EVENTS (1000000) stored for the queries, CUSTOMERS (5000), QUERIES (50) per query (5 for
//   whole-period analytics), VERIFY=0 to skip verifying the generated chain.
// Last line: ingest_ratio=R audit_events_per_s=A bus_events_per_s=B trace_p99_ms=… report_p99_ms=… analytics_day_p99_ms=…
import { randomUUID } from 'node:crypto'
import { newEnvelope, topicOf, type EventData, type EventType } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { createDb, databaseUrl, ensureDatabase, migrate, type Db } from '@brokerage/platform/postgres'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { createEventCodec, createOutbox, OUTBOX_MIGRATIONS, startEventConsumer, startRelay } from '@brokerage/platform/events'
import { loadMigrations } from '@brokerage/platform/postgres'
import { fileURLToPath } from 'node:url'
import { analytics } from '../../services/audit/src/analytics.js'
import { verifyChain } from '../../services/audit/src/chain.js'
import { createIngester, subjectsOf } from '../../services/audit/src/ingest.js'
import { createAppender, lockHead, type NewRow } from '../../services/audit/src/log.js'
import { balancesBefore, reportLines } from '../../services/audit/src/report.js'
import { trace } from '../../services/audit/src/trace.js'
import { benchServer, fmt, percentile, summary } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 10)
const PRODUCERS = Number(process.env.PRODUCERS ?? 8)
const EVENTS_PER_TX = Number(process.env.EVENTS_PER_TX ?? 10)
const EVENTS = Number(process.env.EVENTS ?? 1_000_000)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 5000)
const QUERIES = Number(process.env.QUERIES ?? 50)
const VERIFY = process.env.VERIFY !== '0'
const MIGRATIONS = fileURLToPath(new URL('../../services/audit/migrations/', import.meta.url))

async function freshDb(serverUrl: string, name: string, max = PRODUCERS + 4): Promise<{ url: string; db: Db }> {
  await ensureDatabase(serverUrl, name)
  const url = databaseUrl(serverUrl, name)
  return { url, db: createDb({ url, max }) }
}

async function auditDb(serverUrl: string, name: string) {
  const a = await freshDb(serverUrl, name)
  await migrate(a.db, 'audit', await loadMigrations(MIGRATIONS))
  return a
}

/** One ingest run: the bus's consumer and the audit ingester on the same events at the producers' peak. */
async function ingest(serverUrl: string) {
  const suffix = randomUUID().slice(0, 8)
  const bus = await freshDb(serverUrl, `bench_abus_${suffix}`)
  await bus.db.close()
  const producer = await freshDb(serverUrl, `bench_aprod_${suffix}`)
  const consumer = await freshDb(serverUrl, `bench_acons_${suffix}`)
  const audit = await auditDb(serverUrl, `bench_audit_${suffix}`)
  await migrate(producer.db, 'platform', OUTBOX_MIGRATIONS)
  await migrate(consumer.db, 'platform', OUTBOX_MIGRATIONS)
  await consumer.db.query('CREATE TABLE effects (id uuid PRIMARY KEY, amount bigint NOT NULL)')
  const logBus = await createPgLogBus({ url: bus.url })
  const topic = topicOf('DepositRequested')
  await logBus.ensureTopic(topic)
  const codec = createEventCodec()
  const relay = startRelay({ db: producer.db, bus: logBus, url: producer.url })
  const outbox = createOutbox(codec, { db: producer.db, localRelay: () => relay })

  let produced = 0
  let doneProducing = false
  const counts = { bus: 0, audit: 0, busLast: 0, auditLast: 0 }
  let resolveDrained!: () => void
  const drained = new Promise<void>((r) => (resolveDrained = r))
  const check = () => {
    if (doneProducing && counts.bus >= produced && counts.audit >= produced) resolveDrained()
  }
  const busGroup = await startEventConsumer({
    db: consumer.db,
    bus: logBus,
    codec,
    groupId: 'bench',
    topics: [topic],
    maxBatchSize: 500,
    handlers: {
      DepositRequested: async (event, { tx }) => {
        const data = event.data as { movementId: string; amount: number }
        await tx.query('INSERT INTO effects (id, amount) VALUES ($1, $2)', [data.movementId, data.amount])
      },
    },
    onOutcome: ({ outcome }) => {
      if (outcome !== 'ok') return
      counts.bus++
      counts.busLast = performance.now()
      check()
    },
  })
  // The audit service's own consumer, as app.ts starts it (its group, its batch size).
  const auditGroup = await logBus.consume({
    groupId: 'audit',
    topics: [topic],
    maxBatchSize: 500,
    lingerMs: 25,
    ...createIngester({
      db: audit.db,
      codec,
      append: createAppender(),
      now: () => new Date(),
      onStored: (n) => {
        counts.audit += n
        counts.auditLast = performance.now()
        check()
      },
    }),
  })

  const start = performance.now()
  const end = start + SECONDS * 1000
  await Promise.all(
    Array.from({ length: PRODUCERS }, async () => {
      while (performance.now() < end) {
        const events = Array.from({ length: EVENTS_PER_TX }, () =>
          newEnvelope('DepositRequested', {
            movementId: randomUUID(),
            customerId: randomUUID(),
            assetName: 'TRY',
            amount: 100,
            requestedAt: new Date().toISOString(),
          }),
        )
        await producer.db.tx((tx) => outbox.add(tx, ...events))
        produced += EVENTS_PER_TX
      }
    }),
  )
  const auditBehindAtEnd = produced - counts.audit
  const busBehindAtEnd = produced - counts.bus
  doneProducing = true
  check()
  await drained
  const busRate = counts.bus / ((counts.busLast - start) / 1000)
  const auditRate = counts.audit / ((counts.auditLast - start) / 1000)
  await auditGroup.stop()
  await busGroup.stop()
  await relay.stop()
  await logBus.close()
  for (const d of [producer, consumer, audit]) await d.db.close()
  console.log(
    `  ingest: ${produced} events; bus ${fmt(busRate)}/s (behind ${busBehindAtEnd} when producing stopped), ` +
      `audit ${fmt(auditRate)}/s (behind ${auditBehindAtEnd}); ratio ${fmt(auditRate / busRate, 2)}`,
  )
  return { busRate, auditRate, ratio: auditRate / busRate, auditBehindAtEnd }
}

type Data<T extends EventType> = EventData<T>
const DAY = 86_400_000
const ASSETS = ['AAPL', 'MSFT', 'GOOG', 'THYAO', 'ASELS']

/**
 * Rows of a month of trading: per customer a deposit and a sign-in, then order sagas (7 events
 * each, the buyer against the market) until `total` rows. Generated in the order they occur.
 */
function* generate(total: number, customers: string[], startMs: number, periodMs: number): Generator<NewRow> {
  let n = 0
  const row = <T extends EventType>(type: T, data: Data<T>, at: number, topic: string, key: string): NewRow => ({
    topic,
    partition: 0,
    offset: n++,
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: new Date(at).toISOString(),
    key,
    correlationId: null,
    causationId: null,
    traceparent: null,
    headers: {},
    data,
    raw: null,
    ...subjectsOf(data),
  })
  const setupStep = periodMs / 100 / customers.length
  for (const [i, customerId] of customers.entries()) {
    const at = startMs + i * setupStep
    yield row(
      'DepositCompleted',
      { ...SAMPLE_DATA.DepositCompleted, movementId: randomUUID(), customerId, amount: 100_000_000 },
      at,
      'asset.movements',
      customerId,
    )
    yield row(
      'SignedIn',
      { ...SAMPLE_DATA.SignedIn, accountId: customerId, customerId, sessionId: randomUUID() },
      at + 1,
      'security.events',
      customerId,
    )
  }
  const sagas = Math.max(0, Math.floor((total - n) / 7))
  const sagaStep = (periodMs * 0.99) / Math.max(1, sagas)
  for (let s = 0; s < sagas; s++) {
    const t = startMs + periodMs / 100 + s * sagaStep
    const customerId = customers[s % customers.length]!
    const orderId = randomUUID()
    const tradeId = randomUUID()
    const assetName = ASSETS[s % ASSETS.length]!
    const size = 1 + (s % 10)
    const price = 10_000 + (s % 500)
    const order = { orderId, customerId, assetName, side: 'BUY' as const, size, price }
    yield row(
      'OrderCreated',
      { ...SAMPLE_DATA.OrderCreated, ...order, createdAt: new Date(t).toISOString() },
      t,
      'order.events',
      customerId,
    )
    yield row(
      'AssetReserved',
      { ...SAMPLE_DATA.AssetReserved, orderId, customerId, amount: size * price },
      t + 3,
      'asset.events',
      customerId,
    )
    yield row('OrderConfirmed', { ...SAMPLE_DATA.OrderConfirmed, ...order }, t + 5, 'engine.commands', assetName)
    yield row('MatchRequested', { ...SAMPLE_DATA.MatchRequested, orderId, customerId, assetName }, t + 8, 'engine.commands', assetName)
    yield row(
      'OrderMatched',
      { ...SAMPLE_DATA.OrderMatched, tradeId, assetName, price, size, buy: { orderId, customerId, limitPrice: price }, sell: null },
      t + 10,
      'trade.events',
      assetName,
    )
    yield row(
      'AssetTransferred',
      {
        ...SAMPLE_DATA.AssetTransferred,
        tradeId,
        orderId,
        customerId,
        assetName,
        size,
        price,
        changes: [
          { assetName: 'TRY', sizeDelta: -size * price, usableSizeDelta: 0 },
          { assetName, sizeDelta: size, usableSizeDelta: size },
        ],
      },
      t + 14,
      'asset.events',
      customerId,
    )
    yield row(
      'SettlementCompleted',
      { ...SAMPLE_DATA.SettlementCompleted, tradeId, ...order, filledSize: size, remainingSize: 0 },
      t + 18,
      'processor.events',
      customerId,
    )
  }
}

/** Appends `total` generated rows through the service's appender, in batches, and answers what the queries need. */
async function fill(db: Db, total: number) {
  const customers = Array.from({ length: CUSTOMERS }, () => randomUUID())
  const periodMs = 30 * DAY
  const startMs = Date.UTC(2026, 0, 1)
  const append = createAppender()
  const orders: string[] = []
  let batch: NewRow[] = []
  let stored = 0
  const t0 = performance.now()
  const flush = async () => {
    const rows = batch
    batch = []
    await db.tx(async (tx) => append(tx, await lockHead(tx), rows, new Date()))
    stored += rows.length
    if (stored % 100_000 < rows.length) console.log(`  stored ${stored} rows (${fmt((performance.now() - t0) / 1000, 1)} s)`)
  }
  for (const r of generate(total, customers, startMs, periodMs)) {
    if (r.type === 'OrderCreated' && orders.length < 10_000) orders.push(r.orderIds[0]!)
    batch.push(r)
    if (batch.length === 5000) await flush()
  }
  if (batch.length) await flush()
  await db.query('ANALYZE audit_log')
  await db.query('ANALYZE order_sagas')
  await db.query('ANALYZE trades')
  const seconds = (performance.now() - t0) / 1000
  console.log(`  ${stored} rows stored in ${fmt(seconds, 1)} s (${fmt(stored / seconds)} rows/s, hashing included)`)
  return { customers, orders, startMs, periodMs, stored, seconds }
}

async function timed(n: number, fn: (i: number) => Promise<unknown>) {
  const ms: number[] = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    ms.push(performance.now() - t)
  }
  ms.sort((a, b) => a - b)
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1]! }
}

const pick = <T>(xs: T[], i: number) => xs[(i * 7919) % xs.length]!

async function queries(serverUrl: string) {
  const audit = await auditDb(serverUrl, `bench_audit_q_${randomUUID().slice(0, 8)}`)
  try {
    console.log(`filling the audit log with ${EVENTS} events`)
    const f = await fill(audit.db, EVENTS)
    if (VERIFY) {
      const t = performance.now()
      const v = await verifyChain(audit.db)
      console.log(`  verify: intact=${v.intact} rows=${v.rows} in ${fmt((performance.now() - t) / 1000, 1)} s`)
      if (!v.intact) throw new Error(`the generated chain does not verify: ${v.message}`)
    }
    const iso = (ms: number) => new Date(ms).toISOString()
    const results: Record<string, { p50: number; p99: number; max: number }> = {}
    results.trace_order = await timed(QUERIES, (i) =>
      trace(audit.db, { orderId: pick(f.orders, i), customerId: null, correlationId: null, page: 0, size: 20 }),
    )
    results.trace_customer = await timed(QUERIES, (i) =>
      trace(audit.db, { orderId: null, customerId: pick(f.customers, i), correlationId: null, page: 0, size: 100 }),
    )
    // The whole report of one customer over the second half of the period, every page, as the gateway streams it.
    results.report = await timed(QUERIES, async (i) => {
      const customerId = pick(f.customers, i)
      const from = iso(f.startMs + f.periodMs / 2)
      await Promise.all([balancesBefore(audit.db, customerId, from), balancesBefore(audit.db, customerId, null)])
      let after = 0
      do {
        after = (await reportLines(audit.db, { customerId, from, to: null, afterSequence: after, limit: 1000 })).nextAfter
      } while (after)
    })
    results.analytics_day = await timed(QUERIES, (i) => {
      const day = f.startMs + DAY * (1 + (i % 28))
      return analytics(audit.db, { from: iso(day), to: iso(day + DAY) })
    })
    results.analytics_all = await timed(Math.min(QUERIES, 5), () => analytics(audit.db, { from: null, to: null }))
    for (const [name, r] of Object.entries(results))
      console.log(`  ${name.padEnd(16)} p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  max ${fmt(r.max, 1)} ms`)
    return { ...f, results }
  } finally {
    await audit.db.close()
  }
}

const server = await benchServer()
try {
  const runs: Array<Awaited<ReturnType<typeof ingest>>> = []
  for (let i = 1; i <= RUNS; i++) {
    console.log(`ingest run ${i}/${RUNS}`)
    runs.push(await ingest(server.url))
  }
  const q = await queries(server.url)
  const show = (name: string, v: number[], d = 0) => {
    if (!v.length) return
    const s = summary(v)
    console.log(`${name.padEnd(28)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  console.log(`\nsummary: ${RUNS} ingest runs (${SECONDS} s, ${PRODUCERS} producers, ${EVENTS_PER_TX} events per transaction)`)
  show(
    'bus events/s (peak)',
    runs.map((r) => r.busRate),
  )
  show(
    'audit events/s',
    runs.map((r) => r.auditRate),
  )
  show(
    'ratio audit/bus',
    runs.map((r) => r.ratio),
    2,
  )
  show(
    'audit behind at end',
    runs.map((r) => r.auditBehindAtEnd),
  )
  // RUNS=0 measures the queries alone.
  const median = (v: number[]) => (v.length ? summary(v).median : NaN)
  const r = q.results
  console.log(
    `ingest_ratio=${fmt(median(runs.map((x) => x.ratio)), 2)} audit_events_per_s=${fmt(median(runs.map((x) => x.auditRate)))} ` +
      `bus_events_per_s=${fmt(median(runs.map((x) => x.busRate)))} events=${q.stored} ` +
      `trace_order_p99_ms=${fmt(r.trace_order!.p99, 1)} trace_customer_p99_ms=${fmt(r.trace_customer!.p99, 1)} ` +
      `report_p99_ms=${fmt(r.report!.p99, 1)} analytics_day_p99_ms=${fmt(r.analytics_day!.p99, 1)} ` +
      `analytics_all_p99_ms=${fmt(r.analytics_all!.p99, 1)}`,
  )
} finally {
  await server.stop()
}
