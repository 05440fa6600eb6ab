import type { Queryable } from '@brokerage/platform/postgres'
import { fromDb, ROW_COLUMNS, type ChainRow, type DbRow } from './chain.js'

// The trail of one order, customer or correlation: by occurrence, each event after the one
// that caused it (two services' clocks may put an answer a millisecond before its cause).

export interface TraceQuery {
  orderId: string | null
  customerId: string | null
  correlationId: string | null
  page: number
  size: number
}

export interface TraceStep extends ChainRow {
  sincePreviousMs: number
}

function where(q: TraceQuery) {
  const conds: string[] = []
  const values: unknown[] = []
  if (q.orderId) conds.push(`order_ids @> ARRAY[$${values.push(q.orderId)}::uuid]`)
  if (q.customerId) conds.push(`customer_ids @> ARRAY[$${values.push(q.customerId)}::uuid]`)
  if (q.correlationId) conds.push(`correlation_id = $${values.push(q.correlationId)}`)
  return { sql: conds.join(' AND '), values }
}

/** Puts each event after its cause when both are in the list, otherwise keeping the order given. */
export function causalOrder<T extends { eventId: string | null; causationId: string | null }>(rows: T[]): T[] {
  const ids = new Set(rows.map((r) => r.eventId).filter((id): id is string => id !== null))
  const placed = new Set<string>()
  const waiting = new Map<string, T[]>()
  const out: T[] = []
  const place = (r: T) => {
    out.push(r)
    if (!r.eventId || placed.has(r.eventId)) return
    placed.add(r.eventId)
    const effects = waiting.get(r.eventId)
    waiting.delete(r.eventId)
    for (const e of effects ?? []) place(e)
  }
  for (const r of rows) {
    if (r.causationId && ids.has(r.causationId) && !placed.has(r.causationId) && r.causationId !== r.eventId) {
      const list = waiting.get(r.causationId) ?? []
      list.push(r)
      waiting.set(r.causationId, list)
    } else place(r)
  }
  for (const rest of waiting.values()) out.push(...rest)
  return out
}

export async function trace(db: Queryable, q: TraceQuery): Promise<{ steps: TraceStep[]; total: number }> {
  const w = where(q)
  const offset = q.page * q.size
  // One row before the page, so the page's first step has a time since its predecessor.
  const from = Math.max(0, offset - 1)
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<DbRow>(
      `SELECT ${ROW_COLUMNS} FROM audit_log WHERE ${w.sql} ORDER BY occurred_at, sequence LIMIT ${q.size + (offset - from)} OFFSET ${from}`,
      w.values,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${w.sql}`, w.values),
  ])
  const ordered = causalOrder(rows.map(fromDb))
  const steps = ordered.map((r, i) => ({
    ...r,
    sincePreviousMs: i === 0 ? 0 : Date.parse(r.occurredAt) - Date.parse(ordered[i - 1]!.occurredAt),
  }))
  return { steps: steps.slice(offset - from), total: count[0]!.n }
}
