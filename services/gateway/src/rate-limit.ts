import type { Redis } from 'ioredis'

// Requests a minute by tier (SPEC §2); brokers and admins get the highest.
export const LIMITS = { STANDARD: 100, PREMIUM: 500, VIP: 1000, STAFF: 1000, ANONYMOUS: 100 } as const

export interface RateDecision {
  allowed: boolean
  limit: number
  remaining: number
  /** Whole seconds until one request is allowed again (set when refused). */
  retryAfterSeconds?: number
}

/**
 * A token bucket per principal, in this process's memory: `limit` requests a window,
 * refilled continuously, so a burst up to the limit is allowed and a steady client is never
 * cut off at a window edge. The clock is injected so tests advance time instead of sleeping.
 * Several gateway instances each keep their own buckets; with Redis they share them
 * (createRedisRateLimiter).
 */
export function createRateLimiter(opts: { now: () => number; windowMs?: number; maxKeys?: number }) {
  const windowMs = opts.windowMs ?? 60_000
  const maxKeys = opts.maxKeys ?? 100_000
  const buckets = new Map<string, { tokens: number; at: number }>()
  let takes = 0

  // A bucket untouched for a whole window is full again: same as no bucket, so it can go.
  function sweep(t: number) {
    for (const [key, b] of buckets) if (t - b.at >= windowMs) buckets.delete(key)
  }

  return {
    take(key: string, limit: number): RateDecision {
      const t = opts.now()
      if (++takes % 1000 === 0 || buckets.size > maxKeys) sweep(t)
      const rate = limit / windowMs
      const b = buckets.get(key) ?? { tokens: limit, at: t }
      // min(): a tier lowered since the last request caps the saved-up tokens at the new limit.
      b.tokens = Math.min(limit, b.tokens + Math.max(0, t - b.at) * rate)
      b.at = t
      buckets.set(key, b)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { allowed: true, limit, remaining: Math.floor(b.tokens) }
      }
      return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000)) }
    },
    size: () => buckets.size,
  }
}

/** Takes one request from `key`'s bucket of `limit` a minute: in memory (sync) or in Redis. */
export interface RateLimiter {
  take(key: string, limit: number): RateDecision | Promise<RateDecision>
}

// The same token bucket as createRateLimiter's, kept in a Redis hash and updated in one script, so
// every gateway instance takes from one bucket per principal. Redis's own clock times the refill:
// the instances' clocks may disagree, the server's is one.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local rate = limit / window
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or limit
local at = tonumber(b[2]) or now
tokens = math.min(limit, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], window)
return { allowed, tostring(tokens) }
`

/**
 * Buckets shared by every gateway instance through Redis. Should Redis fail, the instance falls
 * back to its own in-memory bucket for that request: limits loosen to one per instance for a
 * while rather than every request failing.
 */
export function createRedisRateLimiter(opts: {
  redis: Redis
  fallback: RateLimiter
  windowMs?: number
  onError?: (err: unknown) => void
  prefix?: string
}): RateLimiter {
  const windowMs = opts.windowMs ?? 60_000
  const prefix = opts.prefix ?? 'brokerage:rate:'
  return {
    async take(key, limit) {
      try {
        const [allowed, left] = (await opts.redis.eval(TAKE_SCRIPT, 1, prefix + key, limit, windowMs)) as [number, string]
        const tokens = Number(left)
        if (allowed === 1) return { allowed: true, limit, remaining: Math.floor(tokens) }
        const rate = limit / windowMs
        return { allowed: false, limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rate / 1000)) }
      } catch (err) {
        opts.onError?.(err)
        return opts.fallback.take(key, limit)
      }
    },
  }
}

/**
 * A customer's tier, fetched from the customer service and kept for `ttlMs`, so a tier
 * change applies within seconds without one lookup per request. Concurrent lookups for
 * one customer share a call. Without an answer, the customer gets the STANDARD limit.
 */
export function createTierCache(opts: { fetchTier: (customerId: string) => Promise<string>; now: () => number; ttlMs?: number }) {
  const ttlMs = opts.ttlMs ?? 5_000
  const entries = new Map<string, { tier: Promise<string>; at: number }>()
  return {
    async tierOf(customerId: string): Promise<string> {
      const t = opts.now()
      const hit = entries.get(customerId)
      if (hit && t - hit.at < ttlMs) return hit.tier
      const tier = opts.fetchTier(customerId).catch(() => {
        entries.delete(customerId)
        return 'STANDARD'
      })
      entries.set(customerId, { tier, at: t })
      if (entries.size > 100_000) for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k)
      return tier
    },
    /** After a tier change made through this gateway: apply it at once here. */
    forget(customerId: string) {
      entries.delete(customerId)
    },
  }
}

/** Limits an operator sets in place of the built-in ones (RATE_LIMIT_PER_ADDRESS, RATE_LIMIT_STAFF). */
export interface ConfiguredLimits {
  /** Requests a minute for address keys (`ip:…`, callers without a valid token); LIMITS.ANONYMOUS unless set. */
  perAddress?: number
  /** Requests a minute for brokers and admins (`BROKER:…`, `ADMIN:…`); LIMITS.STAFF unless set. */
  staff?: number
}

// The keys principalKey() gives staff: every role but CUSTOMER, whose limit is its tier's.
const STAFF_KEY = /^(BROKER|ADMIN):/

/**
 * `limiter` with the configured limits in place of whatever limit is asked for those keys: tests
 * that call from one address, or drive a whole flow as admin, raise them; customers keep their tier's.
 */
export function withConfiguredLimits(limiter: RateLimiter, limits: ConfiguredLimits): RateLimiter {
  const perAddress = limits.perAddress ?? LIMITS.ANONYMOUS
  const staff = limits.staff ?? LIMITS.STAFF
  if (perAddress === LIMITS.ANONYMOUS && staff === LIMITS.STAFF) return limiter
  return {
    take: (key, limit) => limiter.take(key, key.startsWith('ip:') ? perAddress : STAFF_KEY.test(key) ? staff : limit),
  }
}

export function limitForTier(tier: string): number {
  return tier === 'VIP' ? LIMITS.VIP : tier === 'PREMIUM' ? LIMITS.PREMIUM : LIMITS.STANDARD
}
