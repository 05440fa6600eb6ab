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

/** The steps `order_sagas` follows (see migration 002). */
const SAGA_STEPS = new Set(['OrderCreated', 'OrderConfirmed', 'SettlementCompleted', 'OrderRejected', 'OrderCancelled', 'OrderFailed'])

/** The rows of a batch that are steps of an order's saga: the order they name (one per step). */
function sagaSteps(rows: NewRow[]) {
  return rows.flatMap((r) => {
    if (!SAGA_STEPS.has(r.type) || r.topic.endsWith('.dlq') || !r.data) return []
    const { orderId, remainingSize } = r.data as { orderId?: unknown; remainingSize?: unknown }
    // subjectsOf already checked the id (and lower-cased it): a step whose id it refused is left out.
    const id = typeof orderId === 'string' ? orderId.toLowerCase() : ''
    if (!r.orderIds.includes(id)) return []
    return [
      {
        order_id: id,
        type: r.type,
        at: r.occurredAt,
        done: r.type === 'SettlementCompleted' && remainingSize != null && Number(remainingSize) === 0,
      },
    ]
  })
}

/** The settlements of a batch, one per trade (its earliest here), for the `trades` table (see migration 003). */
function settledTrades(rows: NewRow[]) {
  const byTrade = new Map<string, { trade_id: string; asset_name: string; settled_at: string; size: number; price: number }>()
  for (const r of rows) {
    if (r.type !== 'SettlementCompleted' || r.topic.endsWith('.dlq') || !r.data) continue
    const { tradeId, assetName, size, price } = r.data as { tradeId?: unknown; assetName?: unknown; size?: unknown; price?: unknown }
    if (typeof tradeId !== 'string' || typeof assetName !== 'string' || !Number.isSafeInteger(size) || !Number.isSafeInteger(price))
      continue
    const seen = byTrade.get(tradeId)
    if (!seen || Date.parse(r.occurredAt) < Date.parse(seen.settled_at))
      byTrade.set(tradeId, {
        trade_id: tradeId,
        asset_name: assetName,
        settled_at: r.occurredAt,
        size: size as number,
        price: price as number,
      })
  }
  return [...byTrade.values()].sort((a, b) => (a.trade_id < b.trade_id ? -1 : 1))
}

/**
 * Appends rows after the locked head (the caller holds the lock from `lockHead`) in one
 * statement, keeps `order_sagas` in step, and moves the head. recorded_at never goes back (a clock step back would put a
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
    const steps = sagaSteps(rows)
    if (steps.length) {
      // Grouped per order first: ON CONFLICT may touch a row once per statement. Sorted, so two
      // appends never lock the same orders in opposite orders (they take turns on the head anyway).
      await tx.query(
        `INSERT INTO order_sagas AS o (order_id, created_at, confirmed_at, first_fill_at, matched_at, rejected, cancelled, failed)
         SELECT order_id, min(at) FILTER (WHERE type = 'OrderCreated'), min(at) FILTER (WHERE type = 'OrderConfirmed'),
           min(at) FILTER (WHERE type = 'SettlementCompleted'), min(at) FILTER (WHERE done),
           bool_or(type = 'OrderRejected'), bool_or(type = 'OrderCancelled'), bool_or(type = 'OrderFailed')
         FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, type text, at timestamptz, done boolean)
         GROUP BY order_id ORDER BY order_id
         ON CONFLICT (order_id) DO UPDATE SET
           created_at = LEAST(o.created_at, EXCLUDED.created_at), confirmed_at = LEAST(o.confirmed_at, EXCLUDED.confirmed_at),
           first_fill_at = LEAST(o.first_fill_at, EXCLUDED.first_fill_at), matched_at = LEAST(o.matched_at, EXCLUDED.matched_at),
           rejected = o.rejected OR EXCLUDED.rejected, cancelled = o.cancelled OR EXCLUDED.cancelled, failed = o.failed OR EXCLUDED.failed`,
        [JSON.stringify(steps)],
      )
    }
    const trades = settledTrades(rows)
    if (trades.length) {
      // The trade's earliest settlement wins, whichever of its records is stored first.
      await tx.query(
        `INSERT INTO trades AS t (trade_id, asset_name, settled_at, size, price)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(trade_id text, asset_name text, settled_at timestamptz, size bigint, price bigint)
         ON CONFLICT (trade_id) DO UPDATE SET settled_at = EXCLUDED.settled_at WHERE EXCLUDED.settled_at < t.settled_at`,
        [JSON.stringify(trades)],
      )
    }
    await tx.query('UPDATE chain_head SET sequence = $1, hash = $2, recorded_at = $3', [sequence, hash, recordedAt])
    return { sequence, hash, recordedAt }
  }
}

export type Appender = ReturnType<typeof createAppender>
