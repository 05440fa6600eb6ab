// Shared benchmark plumbing: a throw-away embedded PostgreSQL, a pgbench baseline against
// the same server in the same run, and min/median/max summaries (these machines are noisy,
// so figures are ratios against a baseline measured alongside).
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { databaseUrl, ensureDatabase } from '@brokerage/platform/postgres'
import { startEmbeddedPostgres } from '@brokerage/platform/postgres/embedded'
import { freePort } from '@brokerage/platform/testing'
import { existingServices } from '../../scripts/platform.js'

const run = promisify(execFile)

/** `settings`: extra server settings (-c name=value); ignored for a BENCH_DATABASE_URL server. */
/**
 * Free ports for every service (HTTP, gRPC and ops), so a bench never takes a topology default
 * that another platform on the machine (a test run, another bench) already holds.
 */
export async function servicePorts(): Promise<Record<string, { http: number; grpc: number; ops: number }>> {
  const ports: Record<string, { http: number; grpc: number; ops: number }> = {}
  for (const s of existingServices()) ports[s.name] = { http: await freePort(), grpc: await freePort(), ops: await freePort() }
  return ports
}

export async function benchServer(settings?: Record<string, string>) {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => {} }
  const dir = await mkdtemp(join(tmpdir(), 'brokerage-bench-pg-'))
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false, settings })
  return {
    url: server.url,
    stop: async () => {
      await server.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

const pgbenchInitialised = new Set<string>()

/** `pgbench -N` (simple-update, single-row transactions) TPS against the same server. */
export async function pgbenchTps(serverUrl: string, opts: { seconds: number; clients: number }): Promise<number> {
  await ensureDatabase(serverUrl, 'bench_pgbench')
  const u = new URL(databaseUrl(serverUrl, 'bench_pgbench'))
  const env = { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }
  // The same way in as the services (the socket folder when the URL names one), so the ratio compares like with like.
  const conn = ['-h', u.searchParams.get('host') ?? u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username)]
  // Initialised once per server: the tables take seconds to build and -N updates leave them usable.
  if (!pgbenchInitialised.has(serverUrl)) {
    try {
      await run('pgbench', [...conn, '-i', '-q', '-s', '10', 'bench_pgbench'], { env })
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT')
        throw new Error('pgbench not found: apt-get install postgresql-client', { cause: err })
      throw err
    }
    pgbenchInitialised.add(serverUrl)
  }
  const { stdout } = await run(
    'pgbench',
    [...conn, '-N', '-c', String(opts.clients), '-j', '2', '-T', String(opts.seconds), 'bench_pgbench'],
    { env },
  )
  const m = /tps = ([\d.]+)/.exec(stdout)
  if (!m) throw new Error(`cannot read pgbench output:\n${stdout}`)
  return Number(m[1])
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export function summary(values: number[]) {
  const s = [...values].sort((a, b) => a - b)
  return { min: s[0]!, median: s[Math.floor((s.length - 1) / 2)]!, max: s[s.length - 1]! }
}

export const fmt = (n: number, digits = 0) => n.toFixed(digits)

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A set-up call; POSTs carry an Idempotency-Key, so a timed-out one is retried without doing it twice. */
export async function call(url: string, method: string, path: string, token: string | null, body?: unknown): Promise<any> {
  const key = method === 'POST' && token ? randomUUID() : undefined
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    })
    const json = (await res.json().catch(() => null)) as any
    // Sign-ins share one anonymous limit per address, and a busy shared machine can time a call
    // out: wait as told (or a second) and try again.
    const inFlight = res.status === 409 && json?.error?.code === 'IDEMPOTENCY_IN_FLIGHT'
    if (res.status === 429 || inFlight || (res.status >= 500 && attempt < 5)) {
      await sleep(Number(res.headers.get('retry-after') ?? 1) * 1000)
      continue
    }
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
    return json
  }
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}
