import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import pg from 'pg'
import { databaseUrl, ensureDatabase } from './postgres/db.js'

/** Test helpers: real PostgreSQL, one fresh database per test instead of truncating tables. */

interface AfterHook {
  after(fn: () => Promise<void> | void): void
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
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

/** Creates a database with a unique name, dropped when the test ends. */
export async function createTestDatabase(t: AfterHook, prefix = 'test'): Promise<string> {
  const server = await testServerUrl()
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  await ensureDatabase(server, name)
  t.after(async () => {
    const c = new pg.Client({ connectionString: databaseUrl(server, 'postgres') })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
    await c.end()
  })
  return databaseUrl(server, name)
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
export { captureLogs } from './observability/log-capture.js'
