import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { databaseUrl, ensureDatabase } from '@brokerage/platform/postgres'
import { devCertificatePaths, ensureDevCertificates } from '@brokerage/platform/grpc/certs'
import { BUS_DATABASE, TOPOLOGY, envName, type ServiceSpec } from './topology.js'

// This file runs as scripts/platform.ts (tsx: tests, benches) and as dist/scripts/platform.js (npm start).
const HERE = dirname(fileURLToPath(import.meta.url))
export const ROOT = resolve(HERE, basename(dirname(HERE)) === 'dist' ? '../..' : '..')

/**
 * Where `tsc -b` puts a service's entry point: each project compiles `src` and `test` into `dist/`,
 * and `npm run build` links the folders beside `src` (migrations) into `dist/`, so the compiled
 * code finds them at the same relative path as the source does.
 */
export const compiledMain = (service: string) => join(ROOT, 'services', service, 'dist', 'src', 'main.js')

export interface RunningService {
  spec: ServiceSpec
  child: ChildProcess
  httpUrl: string
  /** Where /metrics and the detailed readiness answer are: httpUrl unless the service has an ops port. */
  opsUrl: string
  grpcAddress?: string
  env: Record<string, string>
}

export interface StartOptions {
  /** postgres:// URL of the server (its `postgres` database); one database per service is created on it. */
  serverUrl: string
  /** Base environment for every service (BUS, log level, admin credentials, …). */
  env?: Record<string, string | undefined>
  /** Port overrides by service name; 0 lets the OS pick. */
  ports?: Record<string, { http?: number; grpc?: number; ops?: number }>
  logDir: string
  /** Only these services (default: every one that exists in services/). */
  only?: string[]
  readyTimeoutMs?: number
  /** Prefix for every database name, so several platforms (tests) can share one server. */
  databasePrefix?: string
  /** Extra environment per service name. */
  serviceEnv?: Record<string, Record<string, string>>
  /** Extra node flags per service name (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
  nodeFlags?: Record<string, string[]>
  /**
   * The development CA and the services' certificates for mutual TLS on gRPC, made on first
   * start and kept (default: `tls/` in logDir). Unused with GRPC_TLS=off.
   */
  certsDir?: string
}

const certsDirOf = (opts: StartOptions) => opts.certsDir ?? join(opts.logDir, 'tls')
const tlsOff = (opts: StartOptions) => (opts.env?.GRPC_TLS ?? process.env.GRPC_TLS) === 'off'

const dbName = (opts: StartOptions, name: string) => (opts.databasePrefix ? `${opts.databasePrefix}_${name}` : name)

/** The services that exist in this checkout, in start-up order. */
export function existingServices(only?: string[]): ServiceSpec[] {
  return TOPOLOGY.filter((s) => existsSync(join(ROOT, 'services', s.name, 'src', 'main.ts')) && (!only || only.includes(s.name)))
}

export function serviceEnv(spec: ServiceSpec, opts: StartOptions, addresses: Map<string, string>): Record<string, string> {
  const ports = opts.ports?.[spec.name] ?? {}
  const env: Record<string, string> = {
    ...spec.processEnv,
    ...(Object.fromEntries(Object.entries({ ...process.env, ...opts.env }).filter(([, v]) => v !== undefined)) as Record<string, string>),
    SERVICE_NAME: spec.name,
    DATABASE_URL: databaseUrl(opts.serverUrl, dbName(opts, spec.database)),
    BUS: opts.env?.BUS ?? process.env.BUS ?? 'pglog',
    BUS_DATABASE_URL: databaseUrl(opts.serverUrl, dbName(opts, BUS_DATABASE)),
    HTTP_PORT: String(ports.http ?? spec.httpPort),
    ...opts.serviceEnv?.[spec.name],
  }
  if (spec.grpcPort !== undefined) env.GRPC_PORT = String(ports.grpc ?? spec.grpcPort)
  if (spec.opsPort !== undefined) env.OPS_PORT = String(ports.ops ?? spec.opsPort)
  if (!tlsOff(opts)) {
    const files = devCertificatePaths(certsDirOf(opts), spec.name)
    // Services only take calls from those the topology says call them.
    const callers = TOPOLOGY.filter((s) => s.calls.includes(spec.name)).map((s) => s.name)
    Object.assign(env, {
      GRPC_TLS_CA: files.ca,
      GRPC_TLS_CERT: files.cert,
      GRPC_TLS_KEY: files.key,
      GRPC_TLS_ALLOWED_CALLERS: callers.join(','),
    })
  }
  for (const callee of spec.calls) {
    const address = addresses.get(callee)
    if (address) env[`${envName(callee)}_GRPC_URL`] = address
  }
  return env
}

/** Waits until the service answers /health/ready, or fails if it exits first. */
async function waitReady(child: ChildProcess, url: string, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exited: number | null = null
  child.once('exit', (code) => (exited = code ?? 1))
  for (;;) {
    if (exited !== null) throw new Error(`${name} exited with code ${exited} before it was ready (see its log)`)
    try {
      const res = await fetch(`${url}/health/ready`)
      if (res.ok) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`${name} was not ready after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/**
 * Creates every database, then starts every service as its own process, spawned in topology order
 * without waiting for one to be ready before the next, and waits until all are ready. A caller
 * needs its callees' addresses, which their ports give, not the callees up: gRPC connects on the
 * first call, and nothing calls before the platform reports ready. (Waiting for each caller's
 * callees first put order and then the gateway after the others: ≈ 5 of 12 s on a busy machine.)
 */
export async function startServices(opts: StartOptions) {
  await ensureDatabase(opts.serverUrl, dbName(opts, BUS_DATABASE))
  await mkdir(opts.logDir, { recursive: true })
  const specs = existingServices(opts.only)
  // Together: CREATE DATABASE waits on a checkpoint, ≈ 0.6 s each on a busy machine.
  await Promise.all(specs.map((spec) => ensureDatabase(opts.serverUrl, dbName(opts, spec.database))))
  if (!tlsOff(opts))
    await ensureDevCertificates(
      certsDirOf(opts),
      TOPOLOGY.map((s) => s.name),
    )
  const addresses = new Map<string, string>()
  for (const spec of specs)
    if (spec.grpcPort !== undefined) addresses.set(spec.name, `127.0.0.1:${opts.ports?.[spec.name]?.grpc ?? spec.grpcPort}`)
  const results = await Promise.allSettled(specs.map((spec) => startService(spec, serviceEnv(spec, opts, addresses), opts)))
  const running = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
  const failed = results.find((r) => r.status === 'rejected')
  if (failed) {
    await stopServices(running)
    throw (failed as PromiseRejectedResult).reason
  }
  return running
}

// Should the launcher itself die, it takes its services with it (one listener for them all).
const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** The package export condition for TypeScript sources (see scripts/test.ts), removed from NODE_OPTIONS. */
export function withoutSourceCondition(nodeOptions: string | undefined): string {
  return (nodeOptions ?? '')
    .split(/\s+/)
    .filter((o) => o !== '--conditions=source' && o !== '-C=source')
    .join(' ')
}

/**
 * How every service's node runs. Source maps: stack traces name the TypeScript lines (≈ 3–7 MB
 * of parsed maps per service). A 4 MB semi-space: V8 grows the young generation to two 16 MB
 * semi-spaces during start-up and keeps them committed, ≈ 20 MB of each service's resident memory
 * for an allocation rate these services never reach (BENCHMARKS.md, bench:footprint).
 */
export const SERVICE_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=4']

/** Starts one service process (its compiled form) with the given environment and waits until it is ready. */
export async function startService(
  spec: ServiceSpec,
  env: Record<string, string>,
  opts: Pick<StartOptions, 'logDir' | 'readyTimeoutMs' | 'nodeFlags'>,
): Promise<RunningService> {
  const main = compiledMain(spec.name)
  if (!existsSync(main)) throw new Error(`${spec.name} is not built (no ${main}): run npm run build`)
  // The compiled JavaScript, no TypeScript loader: what ships. A test run's NODE_OPTIONS ask for
  // the packages' TypeScript sources (--conditions=source), which plain node cannot load.
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...(opts.nodeFlags?.[spec.name] ?? []), main], {
    cwd: ROOT,
    env: { ...env, NODE_OPTIONS: withoutSourceCondition(env.NODE_OPTIONS) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only the launcher, which then
    // stops the services one by one in reverse order (a second signal would cut them short).
    detached: true,
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  const log = createWriteStream(join(opts.logDir, `${spec.name}.log`), { flags: 'a' })
  child.stdout!.pipe(log)
  child.stderr!.pipe(log)
  const httpUrl = `http://127.0.0.1:${env.HTTP_PORT}`
  const opsUrl = env.OPS_PORT ? `http://127.0.0.1:${env.OPS_PORT}` : httpUrl
  const service: RunningService = { spec, child, httpUrl, opsUrl, env }
  if (env.GRPC_PORT) service.grpcAddress = `127.0.0.1:${env.GRPC_PORT}`
  try {
    await waitReady(child, service.httpUrl, spec.name, opts.readyTimeoutMs ?? 60_000)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return service
}

/** Stops services in reverse start-up order, each with SIGTERM (graceful) and SIGKILL after a grace period. */
export async function stopServices(running: RunningService[], graceMs = 15_000) {
  for (const s of [...running].reverse()) {
    if (s.child.exitCode !== null || s.child.signalCode !== null) continue
    const exited = new Promise((r) => s.child.once('exit', r))
    s.child.kill('SIGTERM')
    const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs)
    await exited
    clearTimeout(timer)
  }
}
