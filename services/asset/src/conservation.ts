import type { Queryable } from '@brokerage/platform/postgres'
import { MARKET_CUSTOMER_ID } from './accounts.js'

// The invariants of SPEC §2, checked against the service's own tables. Each one is
// computed from a different record, so one bug cannot hide in all of them at once:
// - ASSET_NOT_CONSERVED: per asset, the sizes over every account (MARKET included)
//   add up to deposits − completed withdrawals; fills only move value between accounts.
// - BALANCE_NOT_JOURNAL_SUM: every balance row equals the sum of its journal rows.
// - USABLE_OUT_OF_RANGE: 0 ≤ usable ≤ size on every account but MARKET.
// - RESERVATIONS_MISMATCH: usable + what open orders and withdrawals hold == size, on
//   every account but MARKET.
// - TRADE_NOT_BALANCED: every settled trade's journal rows (buyer, seller or MARKET on each
//   side) add up to zero per asset, and a failed trade changed nothing.
// Sums are compared in SQL (numeric), so they are exact at any size; the figures in a
// violation are for reading.

export type ConservationRule =
  'ASSET_NOT_CONSERVED' | 'BALANCE_NOT_JOURNAL_SUM' | 'USABLE_OUT_OF_RANGE' | 'RESERVATIONS_MISMATCH' | 'TRADE_NOT_BALANCED'

export interface Violation {
  rule: ConservationRule
  assetName: string
  /** Absent for ASSET_NOT_CONSERVED and TRADE_NOT_BALANCED, which are over all accounts. */
  customerId?: string
  /** TRADE_NOT_BALANCED only. */
  tradeId?: string
  message: string
}

export async function checkConservation(db: Queryable): Promise<Violation[]> {
  const violations: Violation[] = []

  const assets = await db.query<{ asset_name: string; total: string; expected: string }>(
    `WITH held AS (SELECT asset_name, sum(size) AS total FROM balances GROUP BY asset_name),
          deposited AS (SELECT asset_name, sum(amount) AS total FROM deposits WHERE rejection_reason IS NULL GROUP BY asset_name),
          withdrawn AS (SELECT asset_name, sum(amount) AS total FROM withdrawals WHERE status = 'COMPLETED' GROUP BY asset_name),
          names AS (SELECT asset_name FROM held UNION SELECT asset_name FROM deposited UNION SELECT asset_name FROM withdrawn)
     SELECT asset_name,
            coalesce(h.total, 0)::text AS total,
            (coalesce(d.total, 0) - coalesce(w.total, 0))::text AS expected
     FROM names LEFT JOIN held h USING (asset_name) LEFT JOIN deposited d USING (asset_name) LEFT JOIN withdrawn w USING (asset_name)
     WHERE coalesce(h.total, 0) <> coalesce(d.total, 0) - coalesce(w.total, 0)
     ORDER BY asset_name`,
  )
  for (const r of assets.rows) {
    violations.push({
      rule: 'ASSET_NOT_CONSERVED',
      assetName: r.asset_name,
      message: `sum of sizes is ${r.total}, deposits − completed withdrawals is ${r.expected}`,
    })
  }

  const journal = await db.query<{
    customer_id: string
    asset_name: string
    size: string
    usable: string
    j_size: string
    j_usable: string
  }>(
    `WITH sums AS (
       SELECT customer_id, asset_name, sum(size_delta) AS size, sum(usable_size_delta) AS usable FROM journal GROUP BY 1, 2)
     SELECT customer_id, asset_name,
            coalesce(b.size, 0)::text AS size, coalesce(b.usable_size, 0)::text AS usable,
            coalesce(s.size, 0)::text AS j_size, coalesce(s.usable, 0)::text AS j_usable
     FROM balances b FULL JOIN sums s USING (customer_id, asset_name)
     WHERE coalesce(b.size, 0) <> coalesce(s.size, 0) OR coalesce(b.usable_size, 0) <> coalesce(s.usable, 0)
     ORDER BY customer_id, asset_name`,
  )
  for (const r of journal.rows) {
    violations.push({
      rule: 'BALANCE_NOT_JOURNAL_SUM',
      customerId: r.customer_id,
      assetName: r.asset_name,
      message: `balance is ${r.size}/${r.usable} (size/usable), its journal sums to ${r.j_size}/${r.j_usable}`,
    })
  }

  const range = await db.query<{ customer_id: string; asset_name: string; size: string; usable_size: string }>(
    `SELECT customer_id, asset_name, size::text, usable_size::text FROM balances
     WHERE customer_id <> $1 AND NOT (usable_size >= 0 AND usable_size <= size)
     ORDER BY customer_id, asset_name`,
    [MARKET_CUSTOMER_ID],
  )
  for (const r of range.rows) {
    violations.push({
      rule: 'USABLE_OUT_OF_RANGE',
      customerId: r.customer_id,
      assetName: r.asset_name,
      message: `usable ${r.usable_size} is outside 0..size ${r.size}`,
    })
  }

  const reserved = await db.query<{ customer_id: string; asset_name: string; size: string; usable: string; held: string }>(
    `WITH open AS (
       SELECT customer_id, reserved_asset AS asset_name, held_amount AS amount FROM order_reservations WHERE held_amount <> 0
       UNION ALL
       SELECT customer_id, asset_name, amount FROM withdrawals WHERE status = 'RESERVED'),
     held AS (SELECT customer_id, asset_name, sum(amount) AS amount FROM open GROUP BY 1, 2)
     SELECT customer_id, asset_name,
            coalesce(b.size, 0)::text AS size, coalesce(b.usable_size, 0)::text AS usable, coalesce(h.amount, 0)::text AS held
     FROM balances b FULL JOIN held h USING (customer_id, asset_name)
     WHERE customer_id <> $1 AND coalesce(b.usable_size, 0) + coalesce(h.amount, 0) <> coalesce(b.size, 0)
     ORDER BY customer_id, asset_name`,
    [MARKET_CUSTOMER_ID],
  )
  for (const r of reserved.rows) {
    violations.push({
      rule: 'RESERVATIONS_MISMATCH',
      customerId: r.customer_id,
      assetName: r.asset_name,
      message: `usable ${r.usable} + reserved ${r.held} ≠ size ${r.size}`,
    })
  }

  const trades = await db.query<{ trade_id: string; outcome: string; asset_name: string; size: string; rows: number }>(
    `SELECT s.trade_id, s.outcome, j.asset_name, sum(j.size_delta)::text AS size, count(*)::int AS rows
     FROM settlements s JOIN journal j ON j.reference_id = s.trade_id AND j.cause_event_id = s.event_id
     GROUP BY s.trade_id, s.outcome, j.asset_name
     HAVING s.outcome = 'FAILED' OR sum(j.size_delta) <> 0
     ORDER BY s.trade_id, j.asset_name`,
  )
  for (const r of trades.rows) {
    violations.push({
      rule: 'TRADE_NOT_BALANCED',
      tradeId: r.trade_id,
      assetName: r.asset_name,
      message:
        r.outcome === 'FAILED'
          ? `failed trade changed ${r.rows} balance row(s)`
          : `the legs of the trade change the sum of ${r.asset_name} by ${r.size}`,
    })
  }

  return violations
}
