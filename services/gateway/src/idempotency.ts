import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { AppError, type Db } from '@brokerage/platform'

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
export function createIdempotencyStore(db: Db, now: () => number): IdempotencyStore {
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

export interface IdempotencyStore {
  begin(principal: string, key: string, fingerprint: string): Promise<Begin>
  complete(principal: string, key: string, status: number, body: string, headers: Record<string, string>): Promise<void>
  release(principal: string, key: string): Promise<void>
  purgeExpired(): Promise<number>
}

// The same rules as the PostgreSQL store's statement, in one Redis script: take a free, expired
// (Redis dropped it) or abandoned key, else say why not.
const BEGIN_SCRIPT = `
local h = redis.call('HMGET', KEYS[1], 'fingerprint', 'status', 'lockedAt', 'body', 'headers')
if not h[1] or (not h[2] and tonumber(h[3]) <= tonumber(ARGV[4]) and h[1] == ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[1], 'lockedAt', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return { 'started' }
end
if h[1] ~= ARGV[1] then return { 'mismatch' } end
if not h[2] then return { 'in-flight' } end
return { 'replay', h[2], h[4] or '', h[5] or '{}' }
`
// Only the request that holds the key stores its answer or lets it go.
const COMPLETE_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], 'status') == 1 or redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'body', ARGV[2], 'headers', ARGV[3])
return 1
`
const RELEASE_SCRIPT = `
if redis.call('HEXISTS', KEYS[1], 'status') == 0 then redis.call('DEL', KEYS[1]) end
return 0
`

// Replies of a Redis that cannot serve yet (loading after a restart, a replica until a failover
// promotes it, a script still running): like an outage, not a fault of the request.
const NOT_SERVING = /^(LOADING|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|BUSY)\b/

/**
 * Redis cannot be reached or cannot serve yet (any other Redis answer, ReplyError, is ours to fix:
 * it stays a 500). Nothing ran: the client may retry the same request with the same key.
 */
function unreachable(err: unknown): never {
  // By name, not instanceof: ioredis is loaded only when Redis is configured (app.ts).
  const e = err as Error | undefined
  if (e?.name === 'ReplyError' && !NOT_SERVING.test(e.message)) throw err
  throw new AppError('UNAVAILABLE', 'Idempotency keys cannot be checked right now; retry with the same key', {
    cause: err,
    retryAfterSeconds: 5,
  })
}

/**
 * The idempotency store in Redis, shared by every gateway instance that points at it; keys
 * expire by Redis's TTL (24 h), so there is nothing to purge. Same semantics as createIdempotencyStore.
 */
export function createRedisIdempotencyStore(redis: Redis, now: () => number, prefix = 'brokerage:idempotency:'): IdempotencyStore {
  // Hashed: a principal or a client's key may hold any printable character, the Redis key stays plain.
  const keyOf = (principal: string, key: string) => prefix + createHash('sha256').update(`${principal}\n${key}`).digest('base64url')
  return {
    async begin(principal, key, fingerprint) {
      const t = now()
      const r = (await redis
        .eval(BEGIN_SCRIPT, 1, keyOf(principal, key), fingerprint, t, IDEMPOTENCY_TTL_MS, t - ABANDONED_AFTER_MS)
        .catch(unreachable)) as string[]
      switch (r[0]) {
        case 'started':
          return { kind: 'started' }
        case 'mismatch':
          return { kind: 'mismatch' }
        case 'replay':
          return { kind: 'replay', status: Number(r[1]), body: r[2] ?? '', headers: JSON.parse(r[3] ?? '{}') as Record<string, string> }
        default:
          return { kind: 'in-flight' }
      }
    },
    async complete(principal, key, status, body, headers) {
      await redis.eval(COMPLETE_SCRIPT, 1, keyOf(principal, key), status, body, JSON.stringify(headers))
    },
    async release(principal, key) {
      await redis.eval(RELEASE_SCRIPT, 1, keyOf(principal, key))
    },
    purgeExpired: async () => 0,
  }
}

/** What makes two requests "the same": method, path (at its API version, not an alias) and the body, key order ignored. */
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
