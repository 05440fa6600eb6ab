import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { eventually, freePort } from '../testing.js'

/** Whether `nats-server` is on PATH (Debian's `nats-server` package). */
export function natsServerAvailable(): boolean {
  return spawnSync('nats-server', ['--version'], { stdio: 'ignore' }).status === 0
}

/**
 * Tests and benchmarks that need a real NATS server: absent locally they are not run, but in
 * CI (CI=true) a missing server is an error, so nothing is skipped there unnoticed.
 */
export function requireNatsServer(what: string, ci: boolean): boolean {
  if (natsServerAvailable()) return true
  if (ci) throw new Error(`${what} needs nats-server on PATH in CI (apt-get install nats-server; .ci/run installs it)`)
  console.warn(`# ${what}: nats-server is not on PATH, not run (apt-get install nats-server)`)
  return false
}

const READY = 'Server is ready'

// Should the test process exit with nodes still up (a failed test, process.exit in a signal
// handler), it takes them with it, as scripts/platform.ts does for the services.
const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL')
})

export interface NatsNode {
  name: string
  url: string
  /** SIGKILL, as a crashed machine. */
  kill(): Promise<void>
  /** Starts the node again on the same ports and store. */
  start(): Promise<void>
  readonly running: boolean
}

export interface NatsServers {
  /** Every node's client URL, comma-separated (what NATS_URL takes). */
  url: string
  nodes: NatsNode[]
  stop(): Promise<void>
}

/**
 * Starts `nats-server -js` processes on loopback, each with its own store in a temporary
 * directory: one node alone, or a cluster (routes between all of them) whose JetStream has
 * elected its meta leader when this resolves.
 */
export async function startNatsServers(
  opts: {
    nodes?: number
    /** The nodes' output: true copies it to stderr, a function is given each chunk. */
    log?: boolean | ((node: string, text: string) => void)
    /** How long a node may take to report it is ready (default 60 s: a loaded machine restores slowly). */
    readyTimeoutMs?: number
  } = {},
): Promise<NatsServers> {
  const count = opts.nodes ?? 1
  const readyTimeoutMs = opts.readyTimeoutMs ?? 60_000
  const dir = await mkdtemp(join(tmpdir(), 'brokerage-nats-'))
  const ports = await Promise.all(Array.from({ length: count }, async () => ({ client: await freePort(), cluster: await freePort() })))
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.cluster}`).join(',')
  const nodes = ports.map((p, i): NatsNode & { proc: ChildProcess | null } => {
    const name = `n${i + 1}`
    const args = ['-js', '-a', '127.0.0.1', '-p', String(p.client), '-n', name, '-sd', join(dir, name)]
    if (count > 1) args.push('--cluster_name', 'brokerage', '--cluster', `nats://127.0.0.1:${p.cluster}`, '--routes', routes)
    const node = {
      name,
      url: `nats://127.0.0.1:${p.client}`,
      proc: null as ChildProcess | null,
      get running() {
        return node.proc !== null
      },
      async start() {
        const proc = spawn('nats-server', args, { stdio: ['ignore', 'ignore', 'pipe'] })
        node.proc = proc
        running.add(proc)
        proc.once('exit', () => running.delete(proc))
        // Readiness is looked for in all of the output, however long (a restarted node first reports
        // every stream it restores: tens of KB with the platform's streams); only the tail is kept, for the error.
        let tail = ''
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            proc.kill('SIGKILL')
            reject(new Error(`nats-server ${name} did not report "${READY}" within ${readyTimeoutMs} ms; its last output:\n${tail}`))
          }, readyTimeoutMs)
          proc.stderr!.on('data', (d: Buffer) => {
            const text = d.toString()
            if (opts.log === true) process.stderr.write(`[${name}] ${text}`)
            else if (opts.log) opts.log(name, text)
            const seen = tail.slice(-(READY.length - 1)) + text
            tail = (tail + text).slice(-4000)
            if (seen.includes(READY)) {
              clearTimeout(timer)
              resolve()
            }
          })
          proc.once('exit', (code, signal) => {
            clearTimeout(timer)
            node.proc = null
            reject(new Error(`nats-server ${name} exited (${code ?? signal}) before it was ready:\n${tail}`))
          })
        })
      },
      async kill() {
        const proc = node.proc
        if (!proc) return
        const exited = new Promise((r) => proc.once('exit', r))
        proc.kill('SIGKILL')
        await exited
        node.proc = null
      },
    }
    return node
  })
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.kill()))
    await rm(dir, { recursive: true, force: true })
  }
  try {
    await Promise.all(nodes.map((n) => n.start()))
    // A cluster serves JetStream once its nodes have elected a meta leader.
    const nc = await connect({ servers: nodes.map((n) => n.url) })
    try {
      const jsm = await jetstreamManager(nc, { checkAPI: false })
      await eventually(() => jsm.getAccountInfo().then(() => true), { timeoutMs: 30_000, what: 'JetStream to be ready' })
    } finally {
      await nc.close()
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { url: nodes.map((n) => n.url).join(','), nodes, stop }
}

/** How many streams (partitions, KV buckets) each node leads, by node name: where a failover hurts most. */
export async function streamLeaders(url: string): Promise<Map<string, number>> {
  const nc = await connect({ servers: url.split(',') })
  try {
    const jsm = await jetstreamManager(nc)
    const leaders = new Map<string, number>()
    for await (const s of jsm.streams.list()) {
      const l = s.cluster?.leader
      if (l) leaders.set(l, (leaders.get(l) ?? 0) + 1)
    }
    return leaders
  } finally {
    await nc.close()
  }
}
