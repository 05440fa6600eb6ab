import pg from 'pg'

// BIGINT (int8) comes back as a string by default; money and offsets are stored as
// BIGINT and must stay exact, so they are parsed to bigint-safe numbers only when safe.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v)
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${v} is outside the safe integer range`)
  return n
})

/** Anything that runs a query: a Db (autocommit) or the client of an open transaction. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
}

export interface Db {
  readonly pool: pg.Pool
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>
  /** Runs fn inside one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>
  /** Runs fn once the transaction of `client` (opened by tx()) has committed; never if it rolls back. */
  afterCommit(client: Queryable, fn: () => void): void
  close(): Promise<void>
}

export interface DbOptions {
  url: string
  max?: number
  applicationName?: string
  /** Server settings for every connection, e.g. `-c synchronous_commit=off`. */
  options?: string
}

export function createDb(opts: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    application_name: opts.applicationName,
    options: opts.options,
  })
  // An idle client that loses its server must not crash the process; the next query reconnects.
  pool.on('error', () => {})
  const afterCommit = new WeakMap<object, Array<() => void>>()
  return {
    pool,
    query: (text, values) => pool.query(text, values as unknown[]),
    async tx(fn) {
      const client = await pool.connect()
      // The pool listens for errors only on idle clients: a connection the server ends while
      // this one is checked out (pg_terminate_backend, a restart) would otherwise be an
      // uncaught exception. The transaction's next query fails with it, and release drops it.
      const lost = () => {}
      client.on('error', lost)
      try {
        await client.query('BEGIN')
        const result = await fn(client)
        await client.query('COMMIT')
        const hooks = afterCommit.get(client)
        afterCommit.delete(client)
        for (const hook of hooks ?? []) hook()
        return result
      } catch (err) {
        afterCommit.delete(client)
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.removeListener('error', lost)
        client.release()
      }
    },
    afterCommit(client, fn) {
      const hooks = afterCommit.get(client)
      if (hooks) hooks.push(fn)
      else afterCommit.set(client, [fn])
    },
    close: () => pool.end(),
  }
}

/** The URL of another database on the same server (used to derive one database per service). */
export function databaseUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl)
  u.pathname = `/${database}`
  return u.toString()
}

/** Creates the database if it does not exist yet (CREATE DATABASE cannot run in a transaction). */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`invalid database name ${database}`)
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${database}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04' && err.code !== '23505') throw err // created concurrently by another process
      })
    }
  } finally {
    await client.end()
  }
}

/**
 * Closes a dedicated client without hanging: a client whose connection the server already
 * dropped (a killed backend, a dropped database) never answers end(), so it is bounded.
 */
export async function closeClient(client: pg.Client, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    client.end().catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        ;(client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy()
        resolve()
      }, timeoutMs)
    }),
  ])
  clearTimeout(timer)
}
