// The whole platform for end-to-end tests: every service as its own process, started the
// way `npm start` starts them (scripts/platform.ts), on fresh databases of the shared test
// PostgreSQL, on free ports. Tests talk to the gateway over real HTTP.
import type { TestContext } from 'node:test'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { grpcTlsFromEnv } from '@brokerage/platform'
import { databaseUrl } from '@brokerage/platform/postgres'
import { dropTestDatabases, eventually, freePort, teardown, testServerUrl } from '@brokerage/platform/testing'
import {
  existingServices,
  serviceEnv,
  startService,
  startServices,
  stopServices,
  type RunningService,
  type StartOptions,
} from '../../scripts/platform.js'
import { BUS_DATABASE, TOPOLOGY } from '../../scripts/topology.js'
import { checkConservation, type Violation } from '../../services/asset/src/conservation.js'

export interface ApiResponse<T = any> {
  status: number
  headers: Headers
  body: T
}

export interface PlatformOptions {
  serviceEnv?: Record<string, Record<string, string>>
  /** Environment for every service on top of the defaults (BUS=nats with NATS_URL, say). */
  env?: Record<string, string>
}

// The suite runs against /api/v1; E2E_API_BASE=/api runs the whole of it against the alias
// (CI runs one Node version with each). Tests write API paths as /api/… (or /api/v1/…, as the
// OpenAPI document lists them) and reach the gateway only through api(), apiUrl() or wsUrl(),
// which put them under the base.
const API_BASE = process.env.E2E_API_BASE ?? '/api/v1'
if (!/^\/api(\/v1)?$/.test(API_BASE)) throw new Error(`E2E_API_BASE must be /api/v1 or /api, not ${API_BASE}`)

/**
 * An API path (/api/orders, /api/v1/orders, /api/ws) under the base the suite runs against;
 * the gateway's other paths (/.well-known/…, /docs/json) are not versioned and stay as they are.
 */
export function apiPath(path: string): string {
  const m = /^\/api(?:\/v1)?(\/.*)$/.exec(path)
  return m ? `${API_BASE}${m[1]}` : path
}

export async function startPlatform(t: TestContext, o: PlatformOptions = {}) {
  const serverUrl = await testServerUrl()
  const prefix = `e2e_${randomUUID().replaceAll('-', '').slice(0, 10)}`
  const ports: Record<string, { http: number; grpc: number; ops: number }> = {}
  for (const s of existingServices()) ports[s.name] = { http: await freePort(), grpc: await freePort(), ops: await freePort() }
  const logDir = await mkdtemp(join(tmpdir(), `${prefix}-logs-`))
  const opts: StartOptions = {
    serverUrl,
    logDir,
    ports,
    databasePrefix: prefix,
    env: { LOG_LEVEL: 'info', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: 'admin', ...o.env },
    serviceEnv: o.serviceEnv,
  }
  let services: RunningService[] = []
  try {
    services = await startServices(opts)
  } catch (err) {
    await dumpLogs(logDir)
    throw err
  }
  const cleanup = teardown(t)
  cleanup.after(() => dropTestDatabases([BUS_DATABASE, ...TOPOLOGY.map((s) => s.database)].map((name) => `${prefix}_${name}`)))
  cleanup.after(() => stopServices(services))
  const find = (name: string) => {
    const s = services.find((x) => x.spec.name === name)
    if (!s) throw new Error(`no service ${name}`)
    return s
  }
  const gateway = find('gateway')

  async function api<T = any>(
    method: string,
    path: string,
    init: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...init.headers }
    if (init.token) headers.authorization = `Bearer ${init.token}`
    let body: string | undefined = init.raw
    if (init.body !== undefined) {
      body = JSON.stringify(init.body)
      headers['content-type'] ??= 'application/json'
    }
    const res = await fetch(`${gateway.httpUrl}${apiPath(path)}`, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {}
    return { status: res.status, headers: res.headers, body: parsed as T }
  }

  return {
    /** The gateway's origin, for what is not the API (/docs/json); API requests take api() or apiUrl(). */
    url: gateway.httpUrl,
    /** A gateway path's full URL, an API path under the suite's base, for a test that calls fetch itself. */
    apiUrl: (path: string) => `${gateway.httpUrl}${apiPath(path)}`,
    /** The live feed's WebSocket URL under the suite's base (/api/v1/ws, or the /api/ws alias). */
    wsUrl: () => `${gateway.httpUrl.replace(/^http/, 'ws')}${apiPath('/api/ws')}`,
    services,
    logDir,
    api,
    /** A direct connection to one service's own database (to assert stored state). */
    db(service: string) {
      const spec = TOPOLOGY.find((s) => s.name === service)!
      const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, `${prefix}_${spec.database}`), max: 2 })
      pool.on('error', () => {}) // the database is dropped at the end of the test
      cleanup.after(() => pool.end())
      return pool
    },
    busUrl: databaseUrl(serverUrl, `${prefix}_${BUS_DATABASE}`),
    /**
     * Waits until the platform is at rest: every service's outbox empty, every consumer group caught
     * up on every partition of the topics it reads, and the log the same length twice in a row (what
     * a handler writes goes out through an outbox and comes back as a record someone reads).
     */
    async atRest(timeoutMs = 30_000): Promise<void> {
      const bus = new pg.Pool({ connectionString: databaseUrl(serverUrl, `${prefix}_${BUS_DATABASE}`), max: 1 })
      const dbs = TOPOLOGY.map((s) => new pg.Pool({ connectionString: databaseUrl(serverUrl, `${prefix}_${s.database}`), max: 1 }))
      const snapshot = async () => {
        const outboxes = await Promise.all(
          dbs.map(
            async (db) =>
              (await db.query("SELECT CASE WHEN to_regclass('outbox') IS NULL THEN 0 ELSE (SELECT count(*) FROM outbox) END::int AS n"))
                .rows[0].n as number,
          ),
        )
        const { rows } = await bus.query<{ behind: number; records: number }>(
          `SELECT (SELECT count(*) FROM bus_partitions p JOIN (SELECT DISTINCT group_id, topic FROM bus_offsets) g ON g.topic = p.topic
                   LEFT JOIN bus_offsets o ON o.group_id = g.group_id AND o.topic = p.topic AND o.partition = p.partition
                   WHERE p.next_offset > COALESCE(o.committed, 0))::int AS behind,
                  (SELECT COALESCE(sum(next_offset), 0) FROM bus_partitions)::int AS records`,
        )
        return { quiet: outboxes.every((n) => n === 0) && rows[0]!.behind === 0, records: rows[0]!.records }
      }
      try {
        await eventually(
          async () => {
            const a = await snapshot()
            if (!a.quiet) return false
            const b = await snapshot()
            return b.quiet && b.records === a.records
          },
          { timeoutMs, what: 'the platform at rest (outboxes empty, every group caught up)' },
        )
      } finally {
        await Promise.all([bus, ...dbs].map((p) => p.end()))
      }
    },
    /**
     * SPEC §2's invariants over the asset service's own tables (MARKET included, every trade's
     * legs balanced, 0 ≤ usable ≤ size): the violations, none when everything is conserved.
     */
    async conservation(): Promise<Violation[]> {
      const spec = TOPOLOGY.find((s) => s.name === 'asset')!
      const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, `${prefix}_${spec.database}`), max: 1 })
      try {
        return await checkConservation(pool)
      } finally {
        await pool.end()
      }
    },
    async login(username: string, password: string): Promise<string> {
      const res = await api<{ access_token: string }>('POST', '/api/auth/login', { body: { username, password } })
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body.access_token
    },
    /** SIGKILL: the process dies at once, whatever it was doing. */
    async kill(name: string) {
      const s = find(name)
      const exited = new Promise((r) => s.child.once('exit', r))
      s.child.kill('SIGKILL')
      await exited
    },
    /** SIGTERM: a graceful stop. */
    async stop(name: string) {
      await stopServices([find(name)])
    },
    /** Starts a stopped or killed service again, same ports and databases. */
    async restart(name: string) {
      const old = find(name)
      const fresh = await startService(old.spec, old.env, opts)
      services[services.indexOf(old)] = fresh
    },
    serviceEnv: (name: string) => serviceEnv(find(name).spec, opts, new Map()),
    /** The gateway's gRPC identity, for a test that calls a service directly as the gateway would. */
    grpcTls: () => grpcTlsFromEnv(gateway.env),
    dumpLogs: () => dumpLogs(logDir),
  }
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>

async function dumpLogs(dir: string) {
  for (const f of await readdir(dir).catch(() => [])) {
    const text = await readFile(join(dir, f), 'utf8').catch(() => '')
    console.error(`----- ${f} (last lines) -----\n${text.split('\n').slice(-40).join('\n')}`)
  }
}
