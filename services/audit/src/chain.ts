import { createHash } from 'node:crypto'
import type { Queryable } from '@brokerage/platform/postgres'

// The hash chain. Each row's hash is sha-256 over the previous row's hash and the row's
// canonical content (every stored column but its position, so a row shifted by an
// insertion or a removal still hashes alike and the broken link names what happened).

export const GENESIS = '0'.repeat(64)

/** What a row holds, as stored; `hashRow` covers all of it. */
export interface RowContent {
  recordedAt: string
  topic: string
  partition: number
  offset: number
  eventId: string | null
  type: string
  version: number
  occurredAt: string
  key: string
  correlationId: string | null
  causationId: string | null
  traceparent: string | null
  headers: Record<string, string>
  data: unknown
  raw: string | null
  orderIds: string[]
  customerIds: string[]
}

export interface ChainRow extends RowContent {
  sequence: number
  prevHash: string
  hash: string
}

/** JSON with object keys sorted at every level: one text for one value, whatever order jsonb keeps keys in. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export function hashRow(prevHash: string, content: RowContent): string {
  const c: RowContent = {
    recordedAt: content.recordedAt,
    topic: content.topic,
    partition: content.partition,
    offset: content.offset,
    eventId: content.eventId,
    type: content.type,
    version: content.version,
    occurredAt: content.occurredAt,
    key: content.key,
    correlationId: content.correlationId,
    causationId: content.causationId,
    traceparent: content.traceparent,
    headers: content.headers,
    data: content.data,
    raw: content.raw,
    orderIds: content.orderIds,
    customerIds: content.customerIds,
  }
  return createHash('sha256').update(prevHash).update('|').update(canonicalJson(c)).digest('hex')
}

/** The columns a ChainRow is read from, in SELECT form (arrays as text[] so pg hands back strings). */
export const ROW_COLUMNS = `sequence, recorded_at, topic, partition, "offset", event_id, type, version, occurred_at, key,
  correlation_id, causation_id, traceparent, headers, data, raw, order_ids::text[] AS order_ids,
  customer_ids::text[] AS customer_ids, prev_hash, hash`

export interface DbRow {
  sequence: number
  recorded_at: Date
  topic: string
  partition: number
  offset: number
  event_id: string | null
  type: string
  version: number
  occurred_at: Date
  key: string
  correlation_id: string | null
  causation_id: string | null
  traceparent: string | null
  headers: Record<string, string>
  data: unknown
  raw: string | null
  order_ids: string[]
  customer_ids: string[]
  prev_hash: string
  hash: string
}

export function fromDb(r: DbRow): ChainRow {
  return {
    sequence: r.sequence,
    recordedAt: r.recorded_at.toISOString(),
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    eventId: r.event_id,
    type: r.type,
    version: r.version,
    occurredAt: r.occurred_at.toISOString(),
    key: r.key,
    correlationId: r.correlation_id,
    causationId: r.causation_id,
    traceparent: r.traceparent,
    headers: r.headers,
    data: r.data,
    raw: r.raw,
    orderIds: r.order_ids,
    customerIds: r.customer_ids,
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

export type Problem = 'EDITED' | 'INSERTED' | 'REMOVED' | 'HEAD_MISMATCH' | 'CHECKPOINT_MISMATCH'

export interface VerifyResult {
  intact: boolean
  rows: number
  headSequence: number
  headHash: string
  problem?: Problem
  /** The row edited or inserted, or the first sequence missing. */
  problemSequence?: number
  message?: string
}

export interface Checkpoint {
  sequence: number
  hash: string
  recordedAt: string
}

interface Archive {
  from_sequence: number
  to_sequence: number
  first_prev_hash: string
  last_hash: string
  partition_name: string
}

const BATCH = 5000

/**
 * Walks the whole chain in sequence order (in batches, so a long log is never in memory) and
 * stops at the first row that was edited, inserted or removed. A range an archive took away
 * is stepped over when the archive's recorded ends join the rows on either side. Against a
 * checkpoint, the row (or archive end) at its sequence must carry its hash.
 */
export async function verifyChain(db: Queryable, opts: { checkpoint?: Checkpoint } = {}): Promise<VerifyResult> {
  const head = (await db.query<{ sequence: number; hash: string }>('SELECT sequence, hash FROM chain_head')).rows[0]!
  const archives = (
    await db.query<Archive>(
      'SELECT from_sequence, to_sequence, first_prev_hash, last_hash, partition_name FROM audit_archives ORDER BY from_sequence',
    )
  ).rows
  const base = { headSequence: head.sequence, headHash: head.hash }
  let rows = 0
  // Where the chain stands: the last row accepted (or archive end) and its hash.
  let at = { sequence: 0, hash: GENESIS }
  // The one before it: a row that links past `at` to this one shows `at` was put in.
  let before: { sequence: number; hash: string } | undefined
  let checkpointSeen = false
  const checkpoint = opts.checkpoint
  const fail = (problem: Problem, problemSequence: number, message: string): VerifyResult => ({
    intact: false,
    rows,
    ...base,
    problem,
    problemSequence,
    message,
  })
  const passCheckpoint = (sequence: number, hash: string): VerifyResult | undefined => {
    if (!checkpoint || sequence !== checkpoint.sequence) return undefined
    checkpointSeen = true
    if (hash !== checkpoint.hash) {
      return fail(
        'CHECKPOINT_MISMATCH',
        sequence,
        `row ${sequence} has hash ${hash}, the checkpoint of ${checkpoint.recordedAt} says ${checkpoint.hash}`,
      )
    }
    return undefined
  }
  const skipArchives = (): VerifyResult | undefined => {
    for (const a of archives) {
      if (a.from_sequence === at.sequence + 1 && a.first_prev_hash === at.hash) {
        if (checkpoint && checkpoint.sequence >= a.from_sequence && checkpoint.sequence < a.to_sequence) checkpointSeen = true
        before = at
        at = { sequence: a.to_sequence, hash: a.last_hash }
        const bad = passCheckpoint(a.to_sequence, a.last_hash)
        if (bad) return bad
      }
    }
    return undefined
  }

  let pending: ChainRow[] = []
  let after = -1
  let exhausted = false
  const fill = async () => {
    if (exhausted || pending.length > 1) return
    const { rows: batch } = await db.query<DbRow>(
      `SELECT ${ROW_COLUMNS} FROM audit_log WHERE sequence > $1 ORDER BY sequence, recorded_at LIMIT ${BATCH}`,
      [after],
    )
    if (batch.length < BATCH) exhausted = true
    if (batch.length) after = batch[batch.length - 1]!.sequence
    pending = pending.concat(batch.map(fromDb))
  }

  for (;;) {
    await fill()
    const cur = pending.shift()
    if (!cur) break
    const bad = skipArchives()
    if (bad) return bad
    const next = pending[0]
    const valid = hashRow(cur.prevHash, cur) === cur.hash
    const linked = cur.prevHash === at.hash
    if (!(valid && linked)) {
      // The next row links straight over this one: this one was put in.
      if (next && next.prevHash === at.hash) return fail('INSERTED', cur.sequence, `row ${cur.sequence} was inserted: no row links to it`)
      if (valid && before && cur.prevHash === before.hash) {
        return fail('INSERTED', at.sequence, `row ${at.sequence} was inserted: row ${cur.sequence} links past it`)
      }
      if (!valid) return fail('EDITED', cur.sequence, `row ${cur.sequence} was edited: its content no longer matches its hash`)
      return fail(
        'REMOVED',
        at.sequence + 1,
        `rows were removed after ${at.sequence}: row ${cur.sequence} links to a hash no stored row has`,
      )
    }
    if (cur.sequence !== at.sequence + 1) {
      // Renumbered around a removal or insertion whose links were forged too.
      return fail(
        cur.sequence > at.sequence + 1 ? 'REMOVED' : 'INSERTED',
        at.sequence + 1,
        `sequence jumps from ${at.sequence} to ${cur.sequence}`,
      )
    }
    before = at
    at = { sequence: cur.sequence, hash: cur.hash }
    rows++
    const cp = passCheckpoint(cur.sequence, cur.hash)
    if (cp) return cp
  }
  const bad = skipArchives()
  if (bad) return bad
  if (at.sequence !== head.sequence || at.hash !== head.hash) {
    if (at.sequence < head.sequence)
      return fail('REMOVED', at.sequence + 1, `the chain ends at ${at.sequence}, its head is ${head.sequence}`)
    return fail('HEAD_MISMATCH', at.sequence, `the last row (${at.sequence}) is not the recorded head (${head.sequence})`)
  }
  if (checkpoint && !checkpointSeen) {
    return fail(
      'REMOVED',
      checkpoint.sequence,
      `the checkpoint's row ${checkpoint.sequence} is not in the chain (it ends at ${at.sequence})`,
    )
  }
  return { intact: true, rows, ...base }
}

/** The chain head as an outside party keeps it: compare a later verify against it. */
export async function checkpoint(db: Queryable): Promise<Checkpoint> {
  const { rows } = await db.query<{ sequence: number; hash: string; recorded_at: Date }>(
    'SELECT sequence, hash, recorded_at FROM chain_head',
  )
  const h = rows[0]!
  return { sequence: h.sequence, hash: h.hash, recordedAt: h.recorded_at.toISOString() }
}
