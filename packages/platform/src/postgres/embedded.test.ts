import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort } from '../testing.js'
import { startEmbeddedPostgres } from './embedded.js'

/** Where a connection to `url` came from, as the server sees it: null for a Unix-domain socket. */
async function clientAddress(url: string): Promise<string | null> {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    const { rows } = await c.query<{ addr: string | null }>(
      'SELECT client_addr::text AS addr FROM pg_stat_activity WHERE pid = pg_backend_pid()',
    )
    return rows[0]!.addr
  } finally {
    await c.end()
  }
}

test('when the embedded server starts, then its URLs connect over a Unix socket and 127.0.0.1 still answers over TCP', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'pg-socket-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false })
  t.after(() => server.stop())
  assert.equal(await clientAddress(server.url), null)
  assert.equal(await clientAddress(await server.createDatabase('by_socket')), null, "a service's database URL keeps the socket")
  const tcp = new URL(server.url)
  tcp.search = ''
  assert.equal(await clientAddress(tcp.toString()), '127.0.0.1/32')
})

test('when the data folder is too deep for a socket path, then the server starts and its URL names 127.0.0.1', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'pg-deep-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  // Run as root, the server's own user must be able to pass through (as it may through any data folder's parents).
  await chmod(root, 0o755)
  const server = await startEmbeddedPostgres({ dataDir: join(root, 'd'.repeat(100)), port: await freePort(), persistent: false })
  t.after(() => server.stop())
  assert.equal(new URL(server.url).searchParams.get('host'), null)
  assert.equal(await clientAddress(server.url), '127.0.0.1/32')
})
