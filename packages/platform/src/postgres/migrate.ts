import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from './db.js'

export interface Migration {
  name: string
  sql: string
}

/** Reads `NNN_name.sql` files from a folder, in name order. */
export async function loadMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(join(dir, name), 'utf8') })))
}

/**
 * Applies the migrations not yet recorded in `<scope>_migrations`, each in its own
 * transaction. An advisory lock keeps two instances starting at once from racing.
 * `scope` lets platform tables (outbox, inbox, log) and a service's tables share one database.
 */
export async function migrate(db: Db, scope: string, migrations: Migration[]): Promise<string[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(scope)) throw new Error(`invalid migration scope ${scope}`)
  const table = `${scope}_migrations`
  const applied: string[] = []
  const client = await db.pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [table])
    await client.query(`CREATE TABLE IF NOT EXISTS ${table} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${table}`)
    const done = new Set(rows.map((r) => r.name))
    for (const m of migrations) {
      if (done.has(m.name)) continue
      await client.query('BEGIN')
      try {
        await client.query(m.sql)
        await client.query(`INSERT INTO ${table} (name) VALUES ($1)`, [m.name])
        await client.query('COMMIT')
      } catch (err) {
        await client.query('ROLLBACK')
        throw new Error(`migration ${scope}/${m.name} failed: ${(err as Error).message}`, { cause: err })
      }
      applied.push(m.name)
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [table]).catch(() => {})
    client.release()
  }
  return applied
}
