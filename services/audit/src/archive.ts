import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { createGzip } from 'node:zlib'
import type { Db } from '@brokerage/platform/postgres'
import { fromDb, hashRow, ROW_COLUMNS, type DbRow } from './chain.js'
import { createAppender, lockHead } from './log.js'

// Retention: whole months leave the database as gzipped JSON lines. The file's sha-256, the
// range of sequences it holds and the hashes at both ends join the chain as an
// AuditArchived record, and audit_archives keeps them so verify can step over the range.

export const ARCHIVE_TYPE = 'AuditArchived'
const BATCH = 5000

export interface ArchivedPartition {
  partition: string
  file: string
  sha256: string
  rows: number
  fromSequence: number
  toSequence: number
}

/** The log's partitions whose whole month ended `olderThanMonths` months before the start of this month. */
async function partitionsToArchive(db: Db, olderThanMonths: number, now: Date): Promise<string[]> {
  const cutoff = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - olderThanMonths, 1))
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'audit_log'::regclass ORDER BY c.relname`,
  )
  return rows
    .map((r) => r.name)
    .filter((name) => {
      const m = /^audit_log_(\d{4})_(\d{2})$/.exec(name)
      return m !== null && Date.UTC(Number(m[1]), Number(m[2]), 1) <= cutoff.getTime()
    })
}

async function* lines(db: Db, partition: string, state: { rows: number; first?: DbRow; last?: DbRow; intact: boolean }) {
  let after = -1
  for (;;) {
    const { rows } = await db.query<DbRow>(`SELECT ${ROW_COLUMNS} FROM ${partition} WHERE sequence > $1 ORDER BY sequence LIMIT ${BATCH}`, [
      after,
    ])
    for (const r of rows) {
      const row = fromDb(r)
      if (state.last && row.prevHash !== state.last.hash) state.intact = false
      if (hashRow(row.prevHash, row) !== row.hash) state.intact = false
      state.first ??= r
      state.last = r
      state.rows++
      yield `${JSON.stringify(row)}\n`
    }
    if (rows.length < BATCH) return
    after = rows[rows.length - 1]!.sequence
  }
}

/**
 * Archives each month older than `olderThanMonths` (oldest first): writes it to
 * `<dir>/<partition>.jsonl.gz`, then in one transaction holding the chain head appends the
 * AuditArchived record, records the archive and detaches and drops the partition. A month
 * whose rows do not verify is left in place: an archive must not launder a tampered range.
 */
export async function archive(db: Db, opts: { olderThanMonths: number; dir: string; now?: Date }): Promise<ArchivedPartition[]> {
  const now = opts.now ?? new Date()
  await mkdir(opts.dir, { recursive: true })
  const done: ArchivedPartition[] = []
  const append = createAppender()
  for (const partition of await partitionsToArchive(db, opts.olderThanMonths, now)) {
    const file = join(opts.dir, `${partition}.jsonl.gz`)
    const state: { rows: number; first?: DbRow; last?: DbRow; intact: boolean } = { rows: 0, intact: true }
    await pipeline(Readable.from(lines(db, partition, state)), createGzip(), createWriteStream(file))
    if (!state.intact) throw new Error(`${partition} does not verify; run verify and investigate before archiving`)
    const sha256 = createHash('sha256')
      .update(await readFile(file))
      .digest('hex')
    if (!state.first || !state.last) {
      await db.query(`ALTER TABLE audit_log DETACH PARTITION ${partition}`)
      await db.query(`DROP TABLE ${partition}`)
      continue
    }
    const entry: ArchivedPartition = {
      partition,
      file,
      sha256,
      rows: state.rows,
      fromSequence: state.first.sequence,
      toSequence: state.last.sequence,
    }
    await db.tx(async (tx) => {
      const head = await lockHead(tx)
      const data = { ...entry, file: `${partition}.jsonl.gz`, firstPrevHash: state.first!.prev_hash, lastHash: state.last!.hash }
      const after = await append(
        tx,
        head,
        [
          {
            topic: '',
            partition: -1,
            offset: -1,
            eventId: null,
            type: ARCHIVE_TYPE,
            version: 1,
            occurredAt: now.toISOString(),
            key: partition,
            correlationId: null,
            causationId: null,
            traceparent: null,
            headers: {},
            data,
            raw: null,
            orderIds: [],
            customerIds: [],
          },
        ],
        now,
      )
      await tx.query(
        `INSERT INTO audit_archives (partition_name, from_sequence, to_sequence, first_prev_hash, last_hash, rows, file, file_sha256,
           record_sequence, archived_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          partition,
          entry.fromSequence,
          entry.toSequence,
          data.firstPrevHash,
          data.lastHash,
          entry.rows,
          data.file,
          sha256,
          after.sequence,
          now,
        ],
      )
      await tx.query(`ALTER TABLE audit_log DETACH PARTITION ${partition}`)
      await tx.query(`DROP TABLE ${partition}`)
    })
    done.push(entry)
  }
  return done
}
