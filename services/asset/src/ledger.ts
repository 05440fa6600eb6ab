import type { Queryable } from '@brokerage/platform/postgres'
import { MARKET_CUSTOMER_ID } from './accounts.js'
import { together, type Part } from './statement.js'

// Balances and their journal. Every write to `balances` goes through `changeMany` (or
// `credit`/`hold`), which writes the journal rows in the same statement sequence, so a balance is always the sum
// of its journal. Reads for the API live here too.

export interface Cause {
  eventId: string
  eventType: string
  /** The order, movement or trade the change belongs to. */
  referenceId: string
}

export interface BalanceChange {
  customerId: string
  assetName: string
  sizeDelta: number
  usableSizeDelta: number
}

export interface Balance {
  customerId: string
  assetName: string
  size: number
  usableSize: number
}

interface BalanceRow {
  customer_id: string
  asset_name: string
  size: number
  usable_size: number
}

const toBalance = (r: BalanceRow): Balance => ({
  customerId: r.customer_id,
  assetName: r.asset_name,
  size: r.size,
  usableSize: r.usable_size,
})

async function journal(tx: Queryable, c: BalanceChange, cause: Cause): Promise<void> {
  await tx.query(
    `INSERT INTO journal (customer_id, asset_name, size_delta, usable_size_delta, cause_event_id, cause_event_type, reference_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.customerId, c.assetName, c.sizeDelta, c.usableSizeDelta, cause.eventId, cause.eventType, cause.referenceId],
  )
}

async function usable(tx: Queryable, account: { customerId: string; assetName: string }): Promise<number> {
  const { rows } = await tx.query<{ usable_size: number }>('SELECT usable_size FROM balances WHERE customer_id = $1 AND asset_name = $2', [
    account.customerId,
    account.assetName,
  ])
  return rows[0]?.usable_size ?? 0
}

/** One key per balance row (ids compared in PostgreSQL's lower-case form). */
export const accountKey = (a: { customerId: string; assetName: string }) => `${a.customerId.toLowerCase()}\u0000${a.assetName}`

/** Changes to one row add up: one sum per account. */
function sumsOf(changes: ReadonlyArray<BalanceChange>): BalanceChange[] {
  const byAccount = new Map<string, BalanceChange>()
  for (const c of changes) {
    const key = accountKey(c)
    const sum = byAccount.get(key)
    if (sum) {
      sum.sizeDelta += c.sizeDelta
      sum.usableSizeDelta += c.usableSizeDelta
    } else
      byAccount.set(key, { customerId: c.customerId, assetName: c.assetName, sizeDelta: c.sizeDelta, usableSizeDelta: c.usableSizeDelta })
  }
  return [...byAccount.values()]
}

/**
 * Signed changes to balance rows that exist (the caller has locked or created them), each with
 * its journal row, as statement parts (see together): `balances` returns the rows it changed,
 * which `checkChanged` compares with the changes. Null parts when there is nothing to change.
 */
function changeParts(changes: ReadonlyArray<BalanceChange & { cause: Cause }>): { balances: Part | null; journal: Part | null } {
  if (!changes.length) return { balances: null, journal: null }
  const sums = sumsOf(changes)
  return {
    balances: {
      sql: `UPDATE balances b SET size = b.size + c.size_delta, usable_size = b.usable_size + c.usable_size_delta, updated_at = now()
            FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[]) AS c(customer_id, asset_name, size_delta, usable_size_delta)
            WHERE b.customer_id = c.customer_id AND b.asset_name = c.asset_name
            RETURNING 1`,
      values: [
        sums.map((c) => c.customerId),
        sums.map((c) => c.assetName),
        sums.map((c) => c.sizeDelta),
        sums.map((c) => c.usableSizeDelta),
      ],
      rows: true,
    },
    journal: {
      sql: `INSERT INTO journal (customer_id, asset_name, size_delta, usable_size_delta, cause_event_id, cause_event_type, reference_id)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::bigint[], $5::uuid[], $6::text[], $7::uuid[])`,
      values: [
        changes.map((c) => c.customerId),
        changes.map((c) => c.assetName),
        changes.map((c) => c.sizeDelta),
        changes.map((c) => c.usableSizeDelta),
        changes.map((c) => c.cause.eventId),
        changes.map((c) => c.cause.eventType),
        changes.map((c) => c.cause.referenceId),
      ],
    },
  }
}

/** Throws (failing the transaction) if a change of changeParts found no balance row. */
function checkChanged(changes: ReadonlyArray<BalanceChange>, changedRows: readonly unknown[]): void {
  const expected = sumsOf(changes).length
  if (changedRows.length !== expected)
    throw new Error(`balance change for ${expected - changedRows.length} account(s) without a balance row`)
}

/**
 * Applies signed changes to balance rows that exist (the caller has locked or created
 * them), each with its journal row: one statement whatever the number of changes.
 */
async function changeMany(tx: Queryable, changes: Array<BalanceChange & { cause: Cause }>): Promise<void> {
  const written = await together(tx, changeParts(changes))
  if (changes.length) checkChanged(changes, written.balances)
}

/** The balance rows of these accounts, locked in key order, as a statement part (see together and balancesOf). */
function lockPart(accounts: ReadonlyArray<{ customerId: string; assetName: string }>): Part | null {
  if (!accounts.length) return null
  return {
    sql: `SELECT customer_id, asset_name, size, usable_size FROM balances
          WHERE (customer_id, asset_name) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))
          ORDER BY customer_id, asset_name
          FOR UPDATE`,
    values: [accounts.map((a) => a.customerId), accounts.map((a) => a.assetName)],
    rows: true,
  }
}

/** The rows of lockPart by accountKey; accounts without a row are absent. */
const balancesOf = (rows: readonly unknown[]): Map<string, Balance> =>
  new Map((rows as BalanceRow[]).map((r) => [accountKey({ customerId: r.customer_id, assetName: r.asset_name }), toBalance(r)]))

async function lockMany(tx: Queryable, accounts: Array<{ customerId: string; assetName: string }>): Promise<Map<string, Balance>> {
  return balancesOf((await together(tx, { locked: lockPart(accounts) })).locked)
}

async function changeAll(tx: Queryable, given: BalanceChange[], cause: Cause): Promise<void> {
  if (!given.length) return
  // In key order, so rows two callers create or lock at once are taken in the same order.
  const changes = [...given].sort((a, b) => (accountKey(a) < accountKey(b) ? -1 : 1))
  // Created at zero first: an INSERT … ON CONFLICT would check its candidate row (say,
  // usable without size for a release) against the CHECKs before finding the conflict.
  await tx.query(
    `INSERT INTO balances (customer_id, asset_name) SELECT * FROM unnest($1::uuid[], $2::text[])
     ON CONFLICT (customer_id, asset_name) DO NOTHING`,
    [changes.map((c) => c.customerId), changes.map((c) => c.assetName)],
  )
  if (changes.length > 1) await lockMany(tx, changes)
  await changeMany(
    tx,
    changes.map((c) => ({ ...c, cause })),
  )
}

export function createLedger() {
  return {
    usable,

    /**
     * Applies a signed change (row created if missing). The table's CHECKs refuse a result
     * outside 0 ≤ usable ≤ size, so a rule broken here fails the whole transaction.
     */
    async change(tx: Queryable, c: BalanceChange, cause: Cause): Promise<void> {
      await changeAll(tx, [c], cause)
    },

    /**
     * Applies several signed changes with one cause (the legs of a trade), rows created if
     * missing and locked in key order first, so concurrent callers cannot deadlock: four
     * statements however many changes.
     */
    changeAll,

    changeMany,
    changeParts,
    checkChanged,
    lockPart,
    balancesOf,

    /**
     * Locks the balance rows of these accounts, in key order (so two transactions locking
     * overlapping sets cannot deadlock on each other), in one statement. Rows that do not
     * exist are absent from the map, which is keyed by accountKey.
     */
    lockMany,

    /**
     * Adds `amount` to size and usable unless that would take either past 2^53−1, the most
     * a balance holds exactly (the table's CHECK): deciding in the updating statement turns
     * what would be a failed transaction, retried for ever, into an answer.
     */
    async credit(
      tx: Queryable,
      account: { customerId: string; assetName: string },
      amount: number,
      cause: Cause,
    ): Promise<{ credited: true } | { credited: false; size: number }> {
      await tx.query('INSERT INTO balances (customer_id, asset_name) VALUES ($1, $2) ON CONFLICT (customer_id, asset_name) DO NOTHING', [
        account.customerId,
        account.assetName,
      ])
      const { rowCount } = await tx.query(
        `UPDATE balances SET size = size + $3::bigint, usable_size = usable_size + $3::bigint, updated_at = now()
         WHERE customer_id = $1 AND asset_name = $2 AND size <= $4::bigint - $3::bigint AND usable_size <= $4::bigint - $3::bigint`,
        [account.customerId, account.assetName, amount, Number.MAX_SAFE_INTEGER],
      )
      if (!rowCount) {
        const { rows } = await tx.query<{ size: number }>('SELECT size FROM balances WHERE customer_id = $1 AND asset_name = $2', [
          account.customerId,
          account.assetName,
        ])
        return { credited: false, size: rows[0]!.size }
      }
      await journal(tx, { ...account, sizeDelta: amount, usableSizeDelta: amount }, cause)
      return { credited: true }
    },

    /**
     * Moves `amount` from usable to held if usable covers it, deciding and updating in one
     * statement (a deposit or another reservation on the same row cannot slip between).
     */
    async hold(
      tx: Queryable,
      account: { customerId: string; assetName: string },
      amount: number,
      cause: Cause,
    ): Promise<{ held: true } | { held: false; available: number }> {
      const { rowCount } = await tx.query(
        `UPDATE balances SET usable_size = usable_size - $3, updated_at = now()
         WHERE customer_id = $1 AND asset_name = $2 AND usable_size >= $3`,
        [account.customerId, account.assetName, amount],
      )
      if (!rowCount) return { held: false, available: await usable(tx, account) }
      await journal(tx, { ...account, sizeDelta: 0, usableSizeDelta: -amount }, cause)
      return { held: true }
    },

    /**
     * Balances of the given customers (every customer but MARKET when none is given),
     * optionally of one asset; ordered by customer then asset.
     */
    async list(db: Queryable, q: { customerIds: string[]; assetName: string | null }): Promise<Balance[]> {
      const { rows } = await db.query<BalanceRow>(
        `SELECT customer_id, asset_name, size, usable_size FROM balances
         WHERE (CASE WHEN cardinality($1::uuid[]) = 0 THEN customer_id <> $3 ELSE customer_id = ANY($1::uuid[]) END)
           AND ($2::text IS NULL OR asset_name = $2)
         ORDER BY customer_id, asset_name`,
        [q.customerIds, q.assetName, MARKET_CUSTOMER_ID],
      )
      return rows.map(toBalance)
    },
  }
}

export type Ledger = ReturnType<typeof createLedger>
