import type pg from 'pg'
import { hashRow, type RowContent } from './chain.js'

// The one way rows join the log: under the chain head's row lock, so appends of different
// partitions' batches (and the archiver's records) take turns and each gets the next
// sequence and the hash of the row before it.

/** A row before its time and place in the chain are known. */
export type NewRow = Omit<RowContent, 'recordedAt'>

export interface Head {
  sequence: number
  hash: string
  recordedAt: Date
}

export async function lockHead(tx: pg.PoolClient): Promise<Head> {
  const { rows } = await tx.query<{ sequence: number; hash: string; recorded_at: Date }>(
    'SELECT sequence, hash, recorded_at FROM chain_head FOR UPDATE',
  )
  const h = rows[0]!
  return { sequence: h.sequence, hash: h.hash, recordedAt: h.recorded_at }
}

const monthOf = (d: Date) => `${d.toISOString().slice(0, 7)}-01`

/**
 * Appends rows after the locked head (the caller holds the lock from `lockHead`) in one
 * statement and moves the head. recorded_at never goes back (a clock step back would put a
 * later sequence in an earlier month's partition, and archiving a month must take a
 * contiguous range of the chain).
 */
export function createAppender() {
  const partitions = new Set<string>()

  return async function append(tx: pg.PoolClient, head: Head, rows: NewRow[], now: Date): Promise<Head> {
    if (!rows.length) return head
    const recordedAt = now > head.recordedAt ? now : head.recordedAt
    const month = monthOf(recordedAt)
    if (!partitions.has(month)) {
      await tx.query('SELECT audit_ensure_partition($1::date)', [month])
      partitions.add(month)
    }
    let { sequence, hash } = head
    const stored = rows.map((r) => {
      const content: RowContent = { ...r, recordedAt: recordedAt.toISOString() }
      const prevHash = hash
      hash = hashRow(prevHash, content)
      sequence++
      return {
        sequence,
        recorded_at: content.recordedAt,
        topic: r.topic,
        partition: r.partition,
        offset: r.offset,
        event_id: r.eventId,
        type: r.type,
        version: r.version,
        occurred_at: r.occurredAt,
        key: r.key,
        correlation_id: r.correlationId,
        causation_id: r.causationId,
        traceparent: r.traceparent,
        headers: r.headers,
        data: r.data,
        raw: r.raw,
        order_ids: r.orderIds,
        customer_ids: r.customerIds,
        prev_hash: prevHash,
        hash,
      }
    })
    await tx.query(
      `INSERT INTO audit_log (sequence, recorded_at, topic, partition, "offset", event_id, type, version, occurred_at, key,
         correlation_id, causation_id, traceparent, headers, data, raw, order_ids, customer_ids, prev_hash, hash)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(sequence bigint, recorded_at timestamptz, topic text, partition int,
         "offset" bigint, event_id uuid, type text, version int, occurred_at timestamptz, key text, correlation_id text,
         causation_id uuid, traceparent text, headers jsonb, data jsonb, raw text, order_ids uuid[], customer_ids uuid[],
         prev_hash text, hash text)`,
      [JSON.stringify(stored)],
    )
    await tx.query('UPDATE chain_head SET sequence = $1, hash = $2, recorded_at = $3', [sequence, hash, recordedAt])
    return { sequence, hash, recordedAt }
  }
}

export type Appender = ReturnType<typeof createAppender>
