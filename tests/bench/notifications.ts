// npm run bench:notifications — a burst of events becoming notifications delivered over SMTP
// and WebSocket, through the whole platform as `npm start` runs it (every service its own
// process), beside pgbench -N TPS on the same server in the same run.
//
// CUSTOMERS customers are created through the gateway, each with a real WebSocket client on
// /api/ws (its own token) and its mail going to a local SMTP sink (smtp-server, run here; the
// notification service's SMTP_URL). Each run publishes BURST OrderRejected events at once onto
// order.events, as the order service would (spread evenly over the customers, each a new
// order id): the notification service consumes them through its inbox, records one email and
// one WebSocket delivery each (the defaults), commits NotificationCreated (which the gateway
// forwards to the owner's socket) and mails the email. OrderRejected is used because it names
// its order in the body (so each mail is matched to its event) and costs the other services
// little: the asset service only remembers the unknown order, the audit service records it.
//
// Latency per notification: the event's occurredAt (stamped just before it is published) → the
// socket's message arriving / the SMTP sink having the whole mail (same machine, same clock).
// Rate per channel: notifications delivered / (publish → last delivery). A notification not
// delivered within WAIT s counts as infinitely late. Mails are parsed after the run, so parsing
// costs nothing in the measurement.
//
//   RUNS (3), BURST (2000), CUSTOMERS (20), WAIT (120 s), PGBENCH_SECONDS (5), PGBENCH_CLIENTS (16)
// Last line: smtp_per_s=N smtp_p99_ms=L ws_per_s=N ws_p99_ms=L pgbench_tps=M (medians over the runs).
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec } from '@brokerage/platform'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { databaseUrl } from '@brokerage/platform/postgres'
import { startServices, stopServices, type RunningService } from '../../scripts/platform.js'
import { BUS_DATABASE } from '../../scripts/topology.js'
import { openSocket, type LiveClient } from '../../services/gateway/src/live/testing.js'
import { benchServer, call, fmt, percentile, pgbenchTps, pool, summary, servicePorts } from './harness.js'

const RUNS = Number(process.env.RUNS ?? 3)
const BURST = Number(process.env.BURST ?? 2000)
const CUSTOMERS = Number(process.env.CUSTOMERS ?? 20)
const WAIT = Number(process.env.WAIT ?? 120)
const PGBENCH_SECONDS = Number(process.env.PGBENCH_SECONDS ?? 5)
const PGBENCH_CLIENTS = Number(process.env.PGBENCH_CLIENTS ?? 16)
const DB_PREFIX = 'benchnotify'
const PUBLISH_CHUNK = 500

/** The SMTP sink: every mail's raw bytes and the time its DATA ended, parsed later. */
async function startSink() {
  const received: Array<{ at: number; to: string[]; raw: Buffer }> = []
  let onMail = () => {}
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        received.push({ at: Date.now(), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) })
        onMail()
        callback()
      })
    },
  })
  smtp.on('error', () => {})
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  return {
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    received,
    /** Resolves once `n` mails in all have arrived (false after `ms`). */
    until(n: number, ms: number): Promise<boolean> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms)
        const check = () => {
          if (received.length < n) return
          clearTimeout(timer)
          onMail = () => {}
          resolve(true)
        }
        onMail = check
        check()
      })
    },
    stop: () => new Promise<void>((r) => smtp.close(() => r())),
  }
}

interface Customer {
  id: string
  email: string
  socket: LiveClient
}

interface Run {
  tps: number
  smtpPerS: number
  smtpP50: number
  smtpP99: number
  wsPerS: number
  wsP50: number
  wsP99: number
  late: number
}

const server = await benchServer()
const logDir = await mkdtemp(join(tmpdir(), 'bench-notifications-logs-'))
const sink = await startSink()
let services: RunningService[] = []
const closers: Array<() => Promise<void> | void> = []
try {
  const ports = await servicePorts()
  services = await startServices({
    serverUrl: server.url,
    logDir,
    ports,
    databasePrefix: DB_PREFIX,
    env: { LOG_LEVEL: 'warn' },
    serviceEnv: { notification: { SMTP_URL: sink.url } },
  })
  const url = services.find((s) => s.spec.name === 'gateway')!.httpUrl
  const bus = await createPgLogBus({ url: databaseUrl(server.url, `${DB_PREFIX}_${BUS_DATABASE}`) })
  closers.push(() => bus.close())
  const codec = createEventCodec()

  const t0 = performance.now()
  const adminToken = (await call(url, 'POST', '/api/auth/login', null, { username: 'admin', password: 'admin' })).access_token as string
  const customers: Customer[] = []
  await pool(
    Array.from({ length: CUSTOMERS }, (_, i) => i),
    4,
    async (i) => {
      const email = `bench-notify-${i}-${Date.now()}@example.com`
      const c = await call(url, 'POST', '/api/customers', adminToken, { name: `Bench ${i}`, email, password: 'bench-password' })
      const token = (await call(url, 'POST', '/api/auth/login', null, { username: email, password: 'bench-password' })).access_token
      const socket = await openSocket(`${url.replace(/^http/, 'ws')}/api/ws`, token)
      closers.push(() => socket.close())
      customers.push({ id: c.id, email, socket })
    },
  )
  // Each welcome mail says the notification service knows the customer's address.
  if (!(await sink.until(CUSTOMERS, WAIT * 1000))) throw new Error('the welcome mails did not all arrive')
  console.log(`${CUSTOMERS} customers with a socket each, welcome mails in, in ${fmt((performance.now() - t0) / 1000, 1)} s`)

  /** Socket message times of notifications, by the id of the event they tell of. */
  const wsAt = new Map<string, number>()
  let onWs = () => {}
  for (const c of customers) {
    c.socket.socket.on('message', (data) => {
      const m = JSON.parse(String(data)) as { category?: string; data?: { eventId?: string } }
      if (m.category === 'notification' && m.data?.eventId) {
        wsAt.set(m.data.eventId, Date.now())
        onWs()
      }
    })
  }
  const wsUntil = (ids: string[], ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      const check = () => {
        if (!ids.every((id) => wsAt.has(id))) return
        clearTimeout(timer)
        onWs = () => {}
        resolve(true)
      }
      onWs = check
      check()
    })

  async function run(burst: number): Promise<Omit<Run, 'tps'>> {
    const mailsBefore = sink.received.length
    const events = Array.from({ length: burst }, (_, i) => {
      const c = customers[i % customers.length]!
      return { customer: c, orderId: randomUUID() }
    })
    const published: Array<{ eventId: string; orderId: string; at: number }> = []
    const start = Date.now()
    for (let i = 0; i < events.length; i += PUBLISH_CHUNK) {
      const chunk = events.slice(i, i + PUBLISH_CHUNK).map(({ customer, orderId }) => {
        const e = newEnvelope('OrderRejected', {
          orderId,
          customerId: customer.id,
          assetName: 'AAPL',
          side: 'BUY',
          reason: 'RESERVATION_TIMEOUT',
          rejectedAt: new Date().toISOString(),
        })
        published.push({ eventId: e.id, orderId, at: Date.parse(e.occurredAt) })
        return e
      })
      await bus.publish(
        await Promise.all(chunk.map(async (e) => ({ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) }))),
      )
    }
    // Either may time out: what did not arrive counts as infinitely late below.
    await Promise.all([
      sink.until(mailsBefore + burst, WAIT * 1000),
      wsUntil(
        published.map((p) => p.eventId),
        WAIT * 1000,
      ),
    ])

    // Each mail names its order in the body: match it to its event now that the run is over.
    const mailAt = new Map<string, number>()
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g
    for (const m of sink.received.slice(mailsBefore)) {
      const text = (await simpleParser(m.raw)).text ?? ''
      for (const id of text.match(uuid) ?? []) if (!mailAt.has(id)) mailAt.set(id, m.at)
    }
    const latencies = (at: (p: (typeof published)[number]) => number | undefined) =>
      published.map((p) => {
        const t = at(p)
        return t === undefined ? Infinity : t - p.at
      })
    const smtp = latencies((p) => mailAt.get(p.orderId)).sort((a, b) => a - b)
    const ws = latencies((p) => wsAt.get(p.eventId)).sort((a, b) => a - b)
    const rate = (at: (p: (typeof published)[number]) => number | undefined) => {
      const times = published.map(at).filter((t): t is number => t !== undefined)
      return times.length / ((Math.max(...times) - start) / 1000)
    }
    return {
      smtpPerS: rate((p) => mailAt.get(p.orderId)),
      smtpP50: percentile(smtp, 50),
      smtpP99: percentile(smtp, 99),
      wsPerS: rate((p) => wsAt.get(p.eventId)),
      wsP50: percentile(ws, 50),
      wsP99: percentile(ws, 99),
      late: smtp.filter((x) => x === Infinity).length + ws.filter((x) => x === Infinity).length,
    }
  }

  const warm = Math.min(200, BURST)
  console.log(`warm-up: a burst of ${warm}`)
  await run(warm)
  const results: Run[] = []
  for (let i = 1; i <= RUNS; i++) {
    const tps = await pgbenchTps(server.url, { seconds: PGBENCH_SECONDS, clients: PGBENCH_CLIENTS })
    const r = { tps, ...(await run(BURST)) }
    results.push(r)
    console.log(
      `run ${i}/${RUNS}: pgbench -N -c ${PGBENCH_CLIENTS} ${fmt(tps)} tps; burst of ${BURST}: ` +
        `SMTP ${fmt(r.smtpPerS, 1)}/s p50 ${fmt(r.smtpP50)} ms p99 ${fmt(r.smtpP99)} ms; ` +
        `WebSocket ${fmt(r.wsPerS, 1)}/s p50 ${fmt(r.wsP50)} ms p99 ${fmt(r.wsP99)} ms` +
        (r.late ? `; ${r.late} deliveries not within ${WAIT} s` : ''),
    )
  }

  const show = (name: string, v: number[], d = 0) => {
    const s = summary(v)
    console.log(`${name.padEnd(34)} min ${fmt(s.min, d)}  median ${fmt(s.median, d)}  max ${fmt(s.max, d)}`)
  }
  const med = (v: number[], d = 0) => fmt(summary(v).median, d)
  const col = (k: keyof Run) => results.map((r) => r[k])
  console.log(
    `\nsummary over ${RUNS} runs (bursts of ${BURST} over ${CUSTOMERS} customers, pgbench -N -c ${PGBENCH_CLIENTS} ${PGBENCH_SECONDS} s)`,
  )
  show('SMTP notifications/s', col('smtpPerS'), 1)
  show('SMTP p50 ms event→mail received', col('smtpP50'))
  show('SMTP p99 ms event→mail received', col('smtpP99'))
  show('WebSocket notifications/s', col('wsPerS'), 1)
  show('WebSocket p50 ms event→message', col('wsP50'))
  show('WebSocket p99 ms event→message', col('wsP99'))
  show('pgbench -N tps', col('tps'))
  console.log(
    `smtp_per_s=${med(col('smtpPerS'), 1)} smtp_p99_ms=${med(col('smtpP99'))} ws_per_s=${med(col('wsPerS'), 1)} ` +
      `ws_p99_ms=${med(col('wsP99'))} pgbench_tps=${med(col('tps'))}`,
  )
} finally {
  for (const close of closers.reverse()) await close()
  await stopServices(services)
  await sink.stop()
  await server.stop()
  await rm(logDir, { recursive: true, force: true })
}
