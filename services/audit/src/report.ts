import type { Queryable } from '@brokerage/platform/postgres'
import { fromDb, hashRow, ROW_COLUMNS, type DbRow } from './chain.js'

// The compliance report of one customer and period, derived from the log alone.
//
// Balances: a customer's `size` of an asset moves only by DepositCompleted (+amount),
// WithdrawalCompleted (−amount) and AssetTransferred (+sizeDelta of each of its changes);
// reservations move `usableSize` only. So the balance before an instant is the sum of those
// events that occurred before it, and closing = opening + the changes of the period's lines.
// Each event counts once: its first record on its own topic (a relay that published twice,
// or the copy a consumer dead-lettered, is the same event).

export const FIRST_RECORD = `l.topic NOT LIKE '%.dlq' AND (l.event_id IS NULL OR NOT EXISTS (
  SELECT 1 FROM audit_log d WHERE d.event_id = l.event_id AND d.sequence < l.sequence AND d.topic NOT LIKE '%.dlq'))`

const BALANCE_TYPES = ['DepositCompleted', 'WithdrawalCompleted', 'AssetTransferred']
const LINE_TYPES = [
  'OrderCreated',
  'OrderRejected',
  'OrderCancelled',
  'OrderFailed',
  'AssetTransferred',
  'DepositCompleted',
  'DepositRejected',
  'WithdrawalRequested',
  'WithdrawalCompleted',
  'WithdrawalRejected',
]

export interface Balance {
  assetName: string
  size: number
}

export interface ReportQuery {
  customerId: string
  from: string | null
  to: string | null
  afterSequence: number
  limit: number
}

export interface Line {
  sequence: number
  occurredAt: string
  kind: 'ORDER' | 'TRADE' | 'DEPOSIT' | 'WITHDRAWAL'
  eventType: string
  eventId: string
  referenceId: string
  orderId: string
  assetName: string
  side: string
  size: number
  price: number
  amount: number
  status: string
  reason: string
  changes: Balance[]
}

/** Every asset's size before `before` (null: ever), from the events alone. */
export async function balancesBefore(db: Queryable, customerId: string, before: string | null): Promise<Balance[]> {
  const { rows } = await db.query<{ asset_name: string; size: number }>(
    `WITH ev AS (
       SELECT l.type, l.data FROM audit_log l
       WHERE l.customer_ids @> ARRAY[$1::uuid] AND l.type = ANY($2) AND l.occurred_at < COALESCE($3::timestamptz, 'infinity')
         AND ${FIRST_RECORD})
     SELECT asset_name, sum(delta)::bigint AS size FROM (
       SELECT data->>'assetName' AS asset_name, (data->>'amount')::bigint AS delta FROM ev WHERE type = 'DepositCompleted'
       UNION ALL SELECT data->>'assetName', -(data->>'amount')::bigint FROM ev WHERE type = 'WithdrawalCompleted'
       UNION ALL SELECT c->>'assetName', (c->>'sizeDelta')::bigint
         FROM ev, jsonb_array_elements(ev.data->'changes') c WHERE type = 'AssetTransferred'
     ) d GROUP BY asset_name ORDER BY asset_name`,
    [customerId, BALANCE_TYPES, before],
  )
  return rows.map((r) => ({ assetName: r.asset_name, size: r.size }))
}

type Data = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const num = (v: unknown) => (typeof v === 'number' ? v : 0)

/** One event of the period as a report line; the balance changes are the ones balancesBefore sums. */
export function toLine(type: string, sequence: number, occurredAt: string, eventId: string, d: Data): Line {
  const line: Line = {
    sequence,
    occurredAt,
    kind: 'ORDER',
    eventType: type,
    eventId,
    referenceId: str(d.orderId),
    orderId: str(d.orderId),
    assetName: str(d.assetName),
    side: str(d.side),
    size: 0,
    price: num(d.price),
    amount: 0,
    status: '',
    reason: str(d.reason),
    changes: [],
  }
  const movement = (kind: 'DEPOSIT' | 'WITHDRAWAL', status: string, sign: number) => {
    Object.assign(line, { kind, referenceId: str(d.movementId), status, amount: num(d.amount) })
    if (sign) line.changes = [{ assetName: line.assetName, size: sign * num(d.amount) }]
    return line
  }
  switch (type) {
    case 'OrderCreated':
      return Object.assign(line, { status: 'CREATED', size: num(d.size), amount: num(d.size) * num(d.price) })
    case 'OrderRejected':
      return Object.assign(line, { status: 'REJECTED' })
    case 'OrderCancelled':
      return Object.assign(line, { status: 'CANCELED', size: num(d.cancelledSize) })
    case 'OrderFailed':
      return Object.assign(line, { status: 'FAILED', size: num(d.filledSize) })
    case 'AssetTransferred': {
      const byAsset = new Map<string, number>()
      for (const c of (d.changes as Data[] | undefined) ?? []) {
        byAsset.set(str(c.assetName), (byAsset.get(str(c.assetName)) ?? 0) + num(c.sizeDelta))
      }
      return Object.assign(line, {
        kind: 'TRADE',
        referenceId: str(d.tradeId),
        status: 'SETTLED',
        size: num(d.size),
        amount: num(d.size) * num(d.price),
        changes: [...byAsset].map(([assetName, size]) => ({ assetName, size })),
      })
    }
    case 'DepositCompleted':
      return movement('DEPOSIT', 'COMPLETED', 1)
    case 'DepositRejected':
      return movement('DEPOSIT', 'REJECTED', 0)
    case 'WithdrawalRequested':
      return movement('WITHDRAWAL', 'REQUESTED', 0)
    case 'WithdrawalCompleted':
      return movement('WITHDRAWAL', 'COMPLETED', -1)
    case 'WithdrawalRejected':
      return movement('WITHDRAWAL', 'REJECTED', 0)
    default:
      return line
  }
}

/** One page of the period's lines, by sequence; `intact` says every row's hash recomputes. */
export async function reportLines(db: Queryable, q: ReportQuery): Promise<{ lines: Line[]; nextAfter: number; intact: boolean }> {
  const { rows } = await db.query<DbRow>(
    `SELECT ${ROW_COLUMNS} FROM audit_log l
     WHERE l.customer_ids @> ARRAY[$1::uuid] AND l.type = ANY($2)
       AND l.occurred_at >= COALESCE($3::timestamptz, '-infinity') AND l.occurred_at < COALESCE($4::timestamptz, 'infinity')
       AND l.sequence > $5 AND ${FIRST_RECORD}
     ORDER BY l.sequence LIMIT $6`,
    [q.customerId, LINE_TYPES, q.from, q.to, q.afterSequence, q.limit + 1],
  )
  const page = rows.slice(0, q.limit).map(fromDb)
  return {
    lines: page.map((r) => toLine(r.type, r.sequence, r.occurredAt, r.eventId ?? '', (r.data ?? {}) as Data)),
    nextAfter: rows.length > q.limit ? page[page.length - 1]!.sequence : 0,
    intact: page.every((r) => hashRow(r.prevHash, r) === r.hash),
  }
}
