import type { Queryable } from '@brokerage/platform/postgres'

// Several reads or writes of one batch sent as one statement: every round trip costs about as
// much CPU as the work it carries (BENCHMARKS.md), so a batch's locks go in one statement and
// its writes in another, whatever the number of tables they touch.

/** One statement's SQL with its own $1…$n and their values; `rows`: return what it selects or RETURNs. */
export interface Part {
  sql: string
  values: unknown[]
  rows?: boolean
}

/**
 * Runs the parts as one statement, each as a CTE, and returns the rows of those marked `rows`,
 * by name (as JSON: numbers, strings, booleans). A read runs only if marked `rows`; reads run
 * in the order given (so locks are taken in that order). Data-modifying CTEs all run to
 * completion on one snapshot, so no part sees another's writes and two parts must not write
 * the same row. Parts that are null are left out; with none left, nothing is sent.
 */
export async function together<K extends string>(tx: Queryable, parts: Record<K, Part | null>): Promise<Record<K, unknown[]>> {
  const given = (Object.entries(parts) as Array<[K, Part | null]>).filter((e): e is [K, Part] => e[1] !== null)
  const result = Object.fromEntries(Object.keys(parts).map((k) => [k, []])) as unknown as Record<K, unknown[]>
  if (!given.length) return result
  const values: unknown[] = []
  const ctes = given.map(([name, part]) => {
    const offset = values.length
    values.push(...part.values)
    return `${name} AS (${part.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`
  })
  const returned = given.filter(([, p]) => p.rows).map(([name]) => name)
  const select = returned.length
    ? returned.map((name) => `(SELECT coalesce(json_agg(${name}), '[]') FROM ${name}) AS ${name}`).join(', ')
    : '1'
  const { rows } = await tx.query<Record<K, unknown[]>>(`WITH ${ctes.join(',\n')}\nSELECT ${select}`, values)
  for (const name of returned) result[name] = rows[0]![name]
  return result
}
