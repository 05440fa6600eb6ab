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
 * Several gateway instances each keep their own buckets (see README: a shared store such as
 * Redis would be needed for one global limit).
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

export type RateLimiter = ReturnType<typeof createRateLimiter>

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

export function limitForTier(tier: string): number {
  return tier === 'VIP' ? LIMITS.VIP : tier === 'PREMIUM' ? LIMITS.PREMIUM : LIMITS.STANDARD
}
