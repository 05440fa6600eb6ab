import type { Queryable } from '@brokerage/platform/postgres'

// Figures over a period, from the log alone. Every aggregate here is insensitive to an event
// stored twice (min, bool_or, one row per trade or event id), so duplicates need no filter
// beyond leaving the dead-letter copies out.

export interface Period {
  from: string | null
  to: string | null
}

const IN_PERIOD = `occurred_at >= COALESCE($1::timestamptz, '-infinity') AND occurred_at < COALESCE($2::timestamptz, 'infinity')
  AND topic NOT LIKE '%.dlq'`

export interface SagaStats {
  name: 'CREATED_TO_CONFIRMED' | 'CONFIRMED_TO_FIRST_FILL' | 'CREATED_TO_MATCHED'
  count: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

const REASON_TYPES = [
  'OrderRejected',
  'OrderFailed',
  'AssetReservationFailed',
  'AssetTransferFailed',
  'DepositRejected',
  'WithdrawalRejected',
]

export async function analytics(db: Queryable, p: Period) {
  const period = [p.from, p.to]
  const [volume, orders, reasons] = await Promise.all([
    // A trade counts once, on the day of its first SettlementCompleted (one is published per customer
    // order of it): read from `trades` (kept at ingest), an index range over the period's trades only.
    db.query<{ asset_name: string; day: string; size: number; notional: number; trades: number }>(
      `SELECT asset_name, to_char(settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
         sum(size)::bigint AS size, sum(size * price)::bigint AS notional, count(*)::bigint AS trades
       FROM trades
       WHERE settled_at >= COALESCE($1::timestamptz, '-infinity') AND settled_at < COALESCE($2::timestamptz, 'infinity')
       GROUP BY 1, 2 ORDER BY 2, 1`,
      period,
    ),
    // Orders created in the period, followed to wherever they are now: a step after `to` still
    // counts (an order created on the last evening of a day and filled the next morning is that
    // day's order), an order created before `from` does not, whenever its steps fall. Read from
    // order_sagas (kept at ingest), an index range over the period's orders only.
    db.query<{ statuses: Array<{ status: string; orders: number }> | null; sagas: SagaStats[] }>(
      `WITH per AS (
         SELECT * FROM order_sagas
         WHERE created_at >= COALESCE($1::timestamptz, '-infinity') AND created_at < COALESCE($2::timestamptz, 'infinity')),
       durations AS (
         SELECT 'CREATED_TO_CONFIRMED' AS name, extract(epoch FROM confirmed_at - created_at) * 1000 AS ms FROM per
         UNION ALL SELECT 'CONFIRMED_TO_FIRST_FILL', extract(epoch FROM first_fill_at - confirmed_at) * 1000 FROM per
         UNION ALL SELECT 'CREATED_TO_MATCHED', extract(epoch FROM matched_at - created_at) * 1000 FROM per),
       stats AS (
         SELECT n.name, count(d.ms)::bigint AS count,
           coalesce(round(percentile_cont(0.5) WITHIN GROUP (ORDER BY d.ms)), 0)::bigint AS "p50Ms",
           coalesce(round(percentile_cont(0.95) WITHIN GROUP (ORDER BY d.ms)), 0)::bigint AS "p95Ms",
           coalesce(round(percentile_cont(0.99) WITHIN GROUP (ORDER BY d.ms)), 0)::bigint AS "p99Ms",
           coalesce(round(max(d.ms)), 0)::bigint AS "maxMs"
         FROM (VALUES ('CREATED_TO_CONFIRMED', 1), ('CONFIRMED_TO_FIRST_FILL', 2), ('CREATED_TO_MATCHED', 3)) n(name, pos)
         LEFT JOIN durations d ON d.name = n.name AND d.ms IS NOT NULL
         GROUP BY n.name, n.pos ORDER BY n.pos)
       SELECT
         (SELECT json_agg(json_build_object('status', status, 'orders', orders) ORDER BY status) FROM (
            SELECT CASE WHEN rejected THEN 'REJECTED' WHEN failed THEN 'FAILED' WHEN cancelled THEN 'CANCELED'
                        WHEN matched_at IS NOT NULL THEN 'MATCHED' WHEN first_fill_at IS NOT NULL THEN 'PARTIALLY_FILLED'
                        WHEN confirmed_at IS NOT NULL THEN 'CONFIRMED' ELSE 'PENDING' END AS status, count(*) AS orders
            FROM per GROUP BY 1) s) AS statuses,
         (SELECT json_agg(stats) FROM stats) AS sagas`,
      period,
    ),
    db.query<{ event_type: string; reason: string; count: number }>(
      `SELECT type AS event_type, coalesce(data->>'reason', '') AS reason, count(DISTINCT event_id)::bigint AS count
       FROM audit_log WHERE type = ANY($3) AND ${IN_PERIOD} GROUP BY 1, 2 ORDER BY 1, 2`,
      [...period, REASON_TYPES],
    ),
  ])
  const o = orders.rows[0]!
  return {
    volume: volume.rows.map((v) => ({ assetName: v.asset_name, day: v.day, size: v.size, notional: v.notional, trades: v.trades })),
    orderStatuses: o.statuses ?? [],
    sagas: o.sagas,
    reasons: reasons.rows.map((r) => ({ eventType: r.event_type, reason: r.reason, count: r.count })),
  }
}
