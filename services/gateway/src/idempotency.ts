import { createHash } from 'node:crypto'
import type { Db } from '@brokerage/platform'

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
// A first request that has held its key this long died with its process: a retry may take over.
const ABANDONED_AFTER_MS = 60_000

export type Begin =
  | { kind: 'started' }
  | { kind: 'replay'; status: number; body: string; headers: Record<string, string> }
  | { kind: 'mismatch' }
  | { kind: 'in-flight' }

/**
 * Idempotency keys with Stripe's semantics, per (principal, key): the first request runs
 * and its response is stored; a retry with the same request gets that response again; the
 * same key with a different request is refused, and so is a retry while the first one runs.
 * Times come from the injected clock so expiry is testable without waiting a day.
 */
export function createIdempotencyStore(db: Db, now: () => number) {
  return {
    async begin(principal: string, key: string, fingerprint: string): Promise<Begin> {
      const t = now()
      for (let attempt = 0; attempt < 3; attempt++) {
        // Inserts, or takes over a row that expired or whose owner died mid-request.
        const { rowCount } = await db.query(
          `INSERT INTO idempotency_keys AS k (principal, key, fingerprint, locked_at, expires_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (principal, key) DO UPDATE
             SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response_body = NULL, headers = NULL,
                 locked_at = EXCLUDED.locked_at, expires_at = EXCLUDED.expires_at
             WHERE k.expires_at <= EXCLUDED.locked_at
                OR (k.status_code IS NULL AND k.locked_at <= $6 AND k.fingerprint = EXCLUDED.fingerprint)`,
          [principal, key, fingerprint, new Date(t), new Date(t + IDEMPOTENCY_TTL_MS), new Date(t - ABANDONED_AFTER_MS)],
        )
        if (rowCount) return { kind: 'started' }
        const { rows } = await db.query<{
          fingerprint: string
          status_code: number | null
          response_body: string | null
          headers: Record<string, string> | null
        }>('SELECT fingerprint, status_code, response_body, headers FROM idempotency_keys WHERE principal = $1 AND key = $2', [
          principal,
          key,
        ])
        const row = rows[0]
        // Released between the two statements (the first request failed): try again.
        if (!row) continue
        if (row.fingerprint !== fingerprint) return { kind: 'mismatch' }
        if (row.status_code === null) return { kind: 'in-flight' }
        return { kind: 'replay', status: row.status_code, body: row.response_body ?? '', headers: row.headers ?? {} }
      }
      return { kind: 'in-flight' }
    },

    async complete(principal: string, key: string, status: number, body: string, headers: Record<string, string>) {
      await db.query('UPDATE idempotency_keys SET status_code = $3, response_body = $4, headers = $5 WHERE principal = $1 AND key = $2', [
        principal,
        key,
        status,
        body,
        headers,
      ])
    },

    /**
     * The first request failed on our side (5xx): nothing is stored, so a retry with the
     * same key runs again (the services dedupe on the key they were given).
     */
    async release(principal: string, key: string) {
      await db.query('DELETE FROM idempotency_keys WHERE principal = $1 AND key = $2 AND status_code IS NULL', [principal, key])
    },

    async purgeExpired(): Promise<number> {
      const { rowCount } = await db.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [new Date(now())])
      return rowCount ?? 0
    },
  }
}

export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>

/** What makes two requests "the same": method, path and the body, key order ignored. */
export function fingerprintOf(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${canonicalJson(body ?? null)}`)
    .digest('base64url')
}

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`
  }
  return JSON.stringify(v)
}

/**
 * The key the gateway hands a service (`idempotency_key`): derived from principal and
 * client key, so two principals' equal keys never meet downstream either.
 */
export function downstreamKey(principal: string, key: string | undefined): string {
  if (key === undefined) return ''
  return createHash('sha256').update(`${principal}\n${key}`).digest('base64url')
}
