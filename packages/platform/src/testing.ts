import { randomUUID } from 'node:crypto'
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import type { AnyEnvelope, Envelope, EventType } from '@brokerage/contracts'
import { databaseUrl, ensureDatabase, createDb, type Db } from './postgres/db.js'
import { loadMigrations, migrate, type Migration } from './postgres/migrate.js'
import { OUTBOX_MIGRATIONS } from './events/outbox.js'
import { createPgLogBus } from './messaging/pglog.js'
import { createEventCodec } from './events/codec.js'
import { GRPC_SERVICES, type GrpcServiceName } from '@brokerage/contracts/grpc'
import { createGrpcClient, type ServiceClient } from './grpc/client.js'
import { createCertificateAuthority, type CertificateAuthority } from './grpc/certs.js'
import type { GrpcTls } from './grpc/tls.js'
import { grpcService } from './grpc/load.js'
import { AppError } from './errors.js'
import type { Stoppable } from './lifecycle.js'
import type { ServiceConfig } from './service.js'

/** Test helpers: real PostgreSQL, one fresh database per test instead of truncating tables. */

/** What cleanup is registered with: node:test's TestContext, or the teardown() of one. */
export interface AfterHook {
  after(fn: () => unknown): void
}

const teardowns = new WeakMap<AfterHook, AfterHook>()

/**
 * The test's teardown, last set up first torn down, run by one after-hook of `t`.
 * node:test runs after-hooks in the order they were added, which would drop a database
 * under a service still using it; every helper here registers through this instead.
 * Every step runs even if one fails; the first failure is reported.
 */
export function teardown(t: AfterHook): AfterHook {
  const known = teardowns.get(t)
  if (known) return known
  const steps: Array<() => unknown> = []
  t.after(async () => {
    let failure: unknown
    for (const step of steps.splice(0).reverse()) {
      try {
        await step()
      } catch (err) {
        failure ??= err
      }
    }
    if (failure) throw failure
  })
  const scope: AfterHook = { after: (fn) => void steps.push(fn) }
  teardowns.set(t, scope)
  teardowns.set(scope, scope)
  return scope
}

/**
 * A free TCP port on loopback, for a server a test starts later (often in another process, so it
 * cannot simply listen on port 0). Picked at random below the kernel's ephemeral range
 * (ip_local_port_range, 32768–60999 on Linux): a port from that range, which is what listening on 0
 * hands out, can be taken by any outgoing connection between the pick and the bind, and the tests
 * open thousands. A port handed out is reserved across processes (a file created exclusively in
 * PORT_RESERVATIONS, removed when this process exits): two test files running at once picked the
 * same port now and then, and the second server to bind it failed with EADDRINUSE.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM))
    if (handedOut.has(port) || !reservePort(port)) continue
    if (!(await canListen(port))) continue
    handedOut.add(port)
    return port
  }
  throw new Error(`no free port between ${PICK_FROM} and ${PICK_TO}`)
}

/** Where test processes reserve the ports they hand out, one empty file per port naming its process. */
export const PORT_RESERVATIONS = join(tmpdir(), 'brokerage-test-ports')
const reserved: string[] = []

function reservePort(port: number): boolean {
  mkdirSync(PORT_RESERVATIONS, { recursive: true })
  const file = join(PORT_RESERVATIONS, String(port))
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' })
  } catch (err) {
    if ((err as { code?: string }).code !== 'EEXIST') throw err
    // Left by a process that is gone (killed before its exit hook): free again.
    const text = readFileSync(file, 'utf8')
    // Empty: its process is between creating the file and writing its pid.
    if (!text) return false
    const owner = Number(text)
    if (owner === process.pid || processAlive(owner)) return false
    rmSync(file, { force: true })
    return reservePort(port)
  }
  if (reserved.push(file) === 1) process.once('exit', () => reserved.forEach((f) => rmSync(f, { force: true })))
  return true
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM'
  }
}

const PICK_FROM = 20_000
const PICK_TO = 32_768
const handedOut = new Set<number>()

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer()
    srv.unref()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

/**
 * The test server: the embedded PostgreSQL that scripts/test.ts starts for the whole run
 * and passes as TEST_DATABASE_URL (or any server you point it at).
 */
export function testServerUrl(): Promise<string> {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    return Promise.reject(
      new Error(
        'TEST_DATABASE_URL is not set: run tests with `npx tsx scripts/test.ts [paths]`, which starts the test PostgreSQL, or point it at a server',
      ),
    )
  }
  return Promise.resolve(url)
}

/** Creates a database with a unique name, dropped when the test ends (pass teardown(t) to drop it after what is set up later). */
export async function createTestDatabase(t: AfterHook, prefix = 'test'): Promise<string> {
  const server = await testServerUrl()
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  await ensureDatabase(server, name)
  t.after(() => dropTestDatabases([name]))
  return databaseUrl(server, name)
}

/**
 * A service's database as the service itself would migrate it (the platform's outbox and inbox, then
 * `migrationsDir`), for tests that call a service's handlers directly; closed and dropped when the test ends.
 */
export async function createMigratedTestDb(t: AfterHook, name: string, migrationsDir: string): Promise<Db> {
  const db = createDb({ url: await createTestDatabase(t, name) })
  t.after(() => db.close())
  await migrate(db, 'platform', OUTBOX_MIGRATIONS)
  await migrate(db, name, await loadMigrations(migrationsDir))
  return db
}

/** Drops databases of the test server, whoever is still connected to them. */
export async function dropTestDatabases(names: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl(await testServerUrl(), 'postgres') })
  await c.connect()
  try {
    for (const name of names) await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
  } finally {
    await c.end()
  }
}

/** Resolves when `check` returns a truthy value; the value is re-checked on every `poke()` and on a short interval. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000)
  let last: unknown
  let pause = 10
  for (;;) {
    try {
      const v = await check()
      if (v) return v
    } catch (err) {
      last = err
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? 'condition'}${last ? `: ${String(last)}` : ''}`)
    // Quick at first (most waits are a few ms), then gentler, so a wait never floods what it watches.
    await new Promise((r) => setTimeout(r, pause))
    pause = Math.min(pause * 2, 200)
  }
}

/**
 * Collects values pushed by a handler and lets a test await a condition over them; the
 * condition is checked on every push, so the test wakes the moment the event happens.
 */
export function createCollector<T>() {
  const items: T[] = []
  const waiters: Array<{ pred: (items: T[]) => boolean; resolve: () => void }> = []
  return {
    items,
    push(item: T) {
      items.push(item)
      for (const w of [...waiters]) {
        if (w.pred(items)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve()
        }
      }
    },
    until(pred: (items: T[]) => boolean, opts: { timeoutMs?: number; what?: string } = {}): Promise<T[]> {
      if (pred(items)) return Promise.resolve(items)
      return new Promise<T[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(new Error(`timed out waiting for ${opts.what ?? 'items'} (have ${items.length})`))
        }, opts.timeoutMs ?? 15_000)
        const waiter = {
          pred,
          resolve: () => {
            clearTimeout(timer)
            resolve(items)
          },
        }
        waiters.push(waiter)
      })
    },
  }
}

/** The events of one type whose data has the given field values, from a list of envelopes. */
export function ofType<T extends EventType>(events: AnyEnvelope[], type: T, where: Record<string, unknown> = {}): Array<Envelope<T>> {
  const matches = (e: AnyEnvelope) =>
    e.type === type && Object.entries(where).every(([k, v]) => (e.data as Record<string, unknown>)[k] === v)
  return events.filter(matches) as unknown as Array<Envelope<T>>
}

/** The AppError a call failed with (the test fails if it succeeded, or failed otherwise). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}

let testCa: CertificateAuthority | undefined
let testTls: GrpcTls | undefined

/** This test process's own CA (made once, in memory), to issue the certificates a test needs. */
export function testCertificateAuthority(): CertificateAuthority {
  return (testCa ??= createCertificateAuthority('Brokerage test CA'))
}

/**
 * Mutual TLS as the tests run it: one certificate of the test process's CA that every
 * service and client in the process presents. It carries every service's name, so one stub
 * server can stand in for several services and a client may call any of them.
 */
export function testGrpcTls(): GrpcTls {
  if (testTls) return testTls
  const ca = testCertificateAuthority()
  const names = [...Object.keys(GRPC_SERVICES), 'customer', 'asset', 'order', 'order-processor', 'notification', 'audit', 'gateway']
  const issued = ca.issue('test', { dnsNames: names })
  return (testTls = { ca: Buffer.from(ca.cert), cert: Buffer.from(issued.cert), key: Buffer.from(issued.key) })
}

/** The configuration a service under test runs with: ports the system picks, mutual TLS, quiet logs (TEST_LOG_LEVEL shows them). */
export function testServiceConfig(config: Pick<ServiceConfig, 'databaseUrl' | 'bus'> & Partial<ServiceConfig>): ServiceConfig {
  return { httpPort: 0, grpcPort: 0, grpcTls: testGrpcTls(), logLevel: process.env.TEST_LOG_LEVEL ?? 'silent', ...config }
}

interface ServiceWithGrpc {
  runtime: { ports: { grpc: number } }
}

export interface ServiceUnderTestOptions {
  /** The service's name: its database is named after it. */
  name: string
  /** Topics the service publishes to: the output collector (`events`) and `emitted()` read them. */
  outputs?: readonly string[]
  /** The service's consumer group, which `settled()` and `deliver()` wait for. */
  group?: string
  /** What the test changes in the service's configuration (a retry policy, a log level). */
  config?: Partial<ServiceConfig>
  /**
   * Migrations applied to the fresh database at once, by scope. A service applies its own
   * when it starts; these are for a test that stands in for a service.
   */
  migrations?: Record<string, Migration[]>
}

/**
 * One service under test on its own fresh database and its own pglog bus database, as
 * platformatic/kafka's tests build a client per test: everything made here is torn down
 * through the test context when the test ends, last made first (the service stops before
 * its databases are dropped). The test starts the service with `start`, calls it with a
 * gRPC `client`, feeds it events with `publish`/`deliver` as the other services would, and
 * reads what it published from the output collector (`events`, `next`) or the log (`emitted`).
 */
export async function serviceUnderTest(t: AfterHook, opts: ServiceUnderTestOptions) {
  const cleanup = teardown(t)
  const databaseUrl = await createTestDatabase(cleanup, opts.name.replaceAll('-', '_'))
  const busUrl = await createTestDatabase(cleanup, 'bus')
  const config = testServiceConfig({ databaseUrl, bus: { kind: 'pglog', url: busUrl }, ...opts.config })

  const db = createDb({ url: databaseUrl })
  cleanup.after(() => db.close())
  for (const [scope, migrations] of Object.entries(opts.migrations ?? {})) await migrate(db, scope, migrations)
  const bus = await createPgLogBus({ url: busUrl })
  cleanup.after(() => bus.close())
  const codec = createEventCodec()

  const outputs = [...(opts.outputs ?? [])]
  const events = createCollector<AnyEnvelope>()
  if (outputs.length) {
    for (const topic of outputs) await bus.ensureTopic(topic)
    const observer = await bus.consume({
      groupId: `test-${randomUUID()}`,
      topics: outputs,
      handleBatch: async (batch) => {
        for (const m of batch.messages) events.push((await codec.decode(m.value)) as AnyEnvelope)
      },
    })
    cleanup.after(() => observer.stop())
  }

  /** Starts the service on this test's configuration; it stops (once) when the test ends, or sooner if the test stops it to restart it. */
  async function start<S extends Stoppable>(startService: (config: ServiceConfig) => Promise<S>): Promise<S> {
    const svc = await startService(config)
    let stopping: Promise<void> | undefined
    const stop = () => (stopping ??= svc.stop())
    cleanup.after(stop)
    return { ...svc, stop }
  }

  /**
   * A gRPC client of the started service (grpcService's name for it), typed by the protos,
   * closed when the test ends, or sooner by the test (a server stops at once only once its
   * clients have gone).
   */
  function client<S extends GrpcServiceName>(svc: ServiceWithGrpc, service: S, label?: string): ServiceClient<S> {
    const c = createGrpcClient(grpcService(service), `127.0.0.1:${svc.runtime.ports.grpc}`, { tls: testGrpcTls(), label })
    let closed = false
    const close = () => {
      if (!closed) c.close()
      closed = true
    }
    cleanup.after(close)
    return { call: c.call, close }
  }

  /** Publishes events on their topics, as the services that own them would. */
  async function publish(...envelopes: AnyEnvelope[]): Promise<void> {
    const records = []
    for (const e of envelopes) records.push({ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) })
    await bus.publish(records)
  }

  /** Resolves once the service's consumer group has committed everything on `topics` (handled it, or skipped it as a duplicate). */
  async function settled(topics: readonly string[]): Promise<void> {
    const group = opts.group
    if (!group) throw new Error(`settled() needs the consumer group of ${opts.name}: pass \`group\``)
    await eventually(async () => (await bus.lag(group, [...topics])).every((p) => p.lag === 0), {
      what: `${opts.name} to consume ${topics.join(', ')}`,
    })
  }

  /** Publishes events and waits until the service has consumed them. */
  async function deliver(...envelopes: AnyEnvelope[]): Promise<void> {
    await publish(...envelopes)
    await settled([...new Set(envelopes.map((e) => codec.topicOf(e.type)))])
  }

  async function outboxDrained(): Promise<void> {
    await eventually(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, {
      what: 'the outbox to drain',
    })
  }

  /** Raw records on a topic, all partitions, once everything the service committed has been relayed. */
  async function records(topic: string) {
    await outboxDrained()
    const all = []
    for (let p = 0; p < (await bus.partitionsOf(topic)); p++) all.push(...(await bus.read(topic, p, 0, 10_000)))
    return all
  }

  /**
   * Every event the service has published so far on its output topics, straight from the
   * log once its outbox is empty: what is not there was never published (no waiting on a
   * consumer to be sure). In no particular cross-partition order.
   */
  async function emitted(): Promise<AnyEnvelope[]> {
    const out: AnyEnvelope[] = []
    for (const topic of outputs) for (const r of await records(topic)) out.push((await codec.decode(r.value)) as AnyEnvelope)
    return out
  }

  /** Waits for the first published event of `type` whose data has these field values. */
  async function next<T extends EventType>(type: T, where: Record<string, unknown> = {}): Promise<Envelope<T>> {
    const what = `${type}${Object.keys(where).length ? ` with ${JSON.stringify(where)}` : ''}`
    return ofType(await events.until((all) => ofType(all, type, where).length > 0, { what }), type, where)[0]!
  }

  return {
    databaseUrl,
    busUrl,
    config,
    db,
    bus,
    codec,
    events,
    /** Registers more teardown with this test's (it runs before what was set up earlier). */
    after: cleanup.after,
    start,
    client,
    publish,
    settled,
    deliver,
    outboxDrained,
    records,
    emitted,
    next,
  }
}

export type ServiceUnderTest = Awaited<ReturnType<typeof serviceUnderTest>>

export { captureLogs } from './observability/log-capture.js'

/**
 * A seeded pseudo-random source in [0, 1) (mulberry32): the same seed gives the same sequence,
 * so a generated workload or fault schedule can be replayed from its seed.
 */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A Schema Registry on loopback speaking the two REST calls the client uses, counting requests. */
export async function startSchemaRegistryStandIn(t: { after(fn: () => Promise<void>): void }) {
  const schemas: string[] = []
  const requests: string[] = []
  const authorizations: Array<string | undefined> = []
  let failNext = 0
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' })
    res.end(JSON.stringify(body))
  }
  const server = createHttpServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    for await (const chunk of req) body += chunk
    requests.push(`${req.method} ${req.url}`)
    authorizations.push(req.headers.authorization)
    if (failNext > 0) {
      failNext--
      return send(res, 500, { error_code: 50001, message: 'store unavailable' })
    }
    const register = /^\/subjects\/([^/]+)\/versions$/.exec(req.url ?? '')
    if (req.method === 'POST' && register) {
      const { schema } = JSON.parse(body) as { schema: string }
      JSON.parse(schema) // a real registry refuses a schema that is not JSON
      let index = schemas.indexOf(schema)
      if (index < 0) index = schemas.push(schema) - 1
      return send(res, 200, { id: 100 + index })
    }
    const byId = /^\/schemas\/ids\/([0-9]+)$/.exec(req.url ?? '')
    if (req.method === 'GET' && byId) {
      const schema = schemas[Number(byId[1]) - 100]
      return schema ? send(res, 200, { schema }) : send(res, 404, { error_code: 40403, message: 'Schema not found' })
    }
    send(res, 404, { error_code: 404, message: 'HTTP 404 Not Found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, requests, authorizations, failNext: (n: number) => (failNext = n) }
}
