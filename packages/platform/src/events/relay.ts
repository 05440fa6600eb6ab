import pg from 'pg'
import { closeClient, type Db, type Queryable } from '../postgres/db.js'
import type { MessageBus } from '../messaging/port.js'
import { OUTBOX_CHANNEL } from './outbox.js'

type OutboxRow = { id: string; topic: string; key: string; value: Buffer; headers: Record<string, string> }

export interface RelayOptions {
  db: Db
  bus: Pick<MessageBus, 'publish'>
  /** Connection string of the service database (the relay keeps one connection for its lock and wake-ups). */
  url: string
  batchSize?: number
  idleMs?: number
  /**
   * Under load (the last cycle published rows less than 10 × this ago), a wake-up waits this
   * long before reading the outbox, so that commits close together go out in one cycle
   * (read and delete, publish) instead of one each. 0 (default): read at once.
   */
  lingerMs?: number
  /**
   * How long published rows may wait for the next cycle, which deletes them in the statement
   * that reads the following batch (default 100 ms); with no cycle by then, a cycle runs for them.
   */
  deleteWithinMs?: number
  onError?: (err: unknown) => void
  onPublished?: (count: number) => void
}

/**
 * Moves committed outbox rows to the broker, oldest first. One relay per database is
 * active at a time (a session advisory lock elects it; the others stand by), so events of
 * one key are published in commit order. A crash between publishing and deleting the rows
 * publishes them again: consumers deduplicate by event id, so nothing is lost or doubled.
 */
export function startRelay(opts: RelayOptions) {
  const batchSize = opts.batchSize ?? 500
  const idleMs = opts.idleMs ?? 1000
  const lingerMs = opts.lingerMs ?? 0
  const deleteWithinMs = opts.deleteWithinMs ?? 100
  let lastPublishedAt = -Infinity
  let running = true
  let wakeFn: (() => void) | null = null
  let pending = false
  const wake = () => {
    const w = wakeFn
    wakeFn = null
    if (w) w()
    else pending = true
  }
  const idle = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || !running) return resolve()
      const timer = setTimeout(wake, ms)
      wakeFn = () => {
        clearTimeout(timer)
        resolve()
      }
    })

  // The relay's own connection holds the leader lock and listens for wake-ups; if it
  // breaks, the lock is gone with it, so the relay steps down and reconnects.
  let control: pg.Client | null = null
  const connectControl = async () => {
    const c = new pg.Client({ connectionString: opts.url, application_name: 'outbox-relay' })
    c.on('error', (err) => {
      opts.onError?.(err)
      if (control === c) control = null
    })
    c.on('end', () => {
      if (control === c) control = null
    })
    c.on('notification', wake)
    await c.connect()
    await c.query(`LISTEN ${OUTBOX_CHANNEL}`)
    // Deleting published rows need not wait for the disk: a delete lost in a crash only
    // republishes rows the consumers' inboxes already absorb.
    await c.query('SET synchronous_commit = off')
    control = c
    return c
  }

  // Rows published but not yet deleted: the next cycle deletes them in the statement that reads
  // the following batch, so a relay under load costs one statement per cycle, not two.
  let published: string[] = []

  async function publishBatch(): Promise<number> {
    const ids = published
    // One snapshot for both parts: the rows being deleted are still visible to the SELECT, so
    // they are left out by id (not by `id > last`, which would skip a row that got a lower id
    // but committed later).
    const queryable: Queryable = control ?? opts.db
    const { rows } = await queryable.query<OutboxRow>(
      // Ordered by the bigint column itself: `ORDER BY id` would sort the text alias ("10" < "9").
      `WITH done AS (DELETE FROM outbox WHERE id = ANY($2::bigint[]))
       SELECT id::text AS id, topic, key, value, headers FROM outbox WHERE id <> ALL($2::bigint[]) ORDER BY outbox.id LIMIT $1`,
      [batchSize, ids],
    )
    published = []
    if (!rows.length) return 0
    await opts.bus.publish(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers })))
    published = rows.map((r) => r.id)
    opts.onPublished?.(rows.length)
    return rows.length
  }

  let leaderNow = false
  const done = (async () => {
    let leader: pg.Client | null = null
    while (running) {
      pending = false
      try {
        if (!control || leader !== control) {
          leader = null
          const c = control ?? (await connectControl())
          const { rows } = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('outbox-relay')) AS ok")
          if (rows[0]!.ok) leader = c
          else {
            leaderNow = false
            await idle(idleMs)
            continue
          }
        }
        leaderNow = leader === control
        const startedAt = performance.now()
        const n = await publishBatch()
        if (n) lastPublishedAt = startedAt
        // Published rows wait for the next cycle to be deleted, briefly: a quiet outbox is emptied soon.
        if (n < batchSize) await idle(published.length ? Math.min(idleMs, deleteWithinMs) : idleMs)
        if (running && lingerMs > 0 && performance.now() - lastPublishedAt < 10 * lingerMs)
          await new Promise((r) => setTimeout(r, lingerMs))
      } catch (err) {
        leaderNow = false
        opts.onError?.(err)
        await idle(idleMs)
      }
    }
    leaderNow = false
    // Set by the connection's handlers, which the compiler's flow analysis does not follow.
    const last = control as pg.Client | null
    if (last) {
      // What this relay published last leaves the outbox before it goes.
      if (published.length)
        await last.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [published]).catch((err: unknown) => opts.onError?.(err))
      await closeClient(last)
    }
  })()

  return {
    /** Publishes what is committed now, without waiting for a wake-up (tests, shutdown). */
    wake,
    /** Whether this relay holds the lock and publishes (the others stand by). */
    isLeader: () => leaderNow,
    async stop() {
      running = false
      wake()
      await done
    },
  }
}

export async function outboxBacklog(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')
  return rows[0]!.n
}
