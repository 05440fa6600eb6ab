import fp from 'fastify-plugin'
import { AppError } from '@brokerage/platform'
import { LIMITS, limitForTier, type createTierCache, type RateLimiter } from '../rate-limit.js'
import { principalKey, requestAuth } from '../request-context.js'
import type { AuthPrincipal } from '../tokens.js'

/**
 * Requests a minute per caller (SPEC §2), before the body is even read: a signed-in caller
 * by their tier, anyone else (public routes, refused tokens) by their address, so tokens
 * cannot be guessed at full speed. Registered after authentication, whose onRequest names the caller.
 */
export const rateLimits = fp<{ limiter: RateLimiter; tiers: ReturnType<typeof createTierCache> }>(
  async (api, { limiter, tiers }) => {
    async function limitOf(p: AuthPrincipal): Promise<number> {
      if (p.role !== 'CUSTOMER') return LIMITS.STAFF
      return limitForTier(await tiers.tierOf(p.customerId!))
    }

    api.addHook('onRequest', async (req, reply) => {
      const principal = requestAuth(req)?.principal
      const key = principal ? principalKey(principal) : `ip:${req.ip}`
      const decision = await limiter.take(key, principal ? await limitOf(principal) : LIMITS.ANONYMOUS)
      reply.header('x-ratelimit-limit', String(decision.limit))
      reply.header('x-ratelimit-remaining', String(decision.remaining))
      if (!decision.allowed) {
        throw new AppError('RATE_LIMITED', `Rate limit of ${decision.limit} requests a minute exceeded`, {
          retryAfterSeconds: decision.retryAfterSeconds,
          details: { limit: decision.limit, windowSeconds: 60 },
        })
      }
    })
  },
  { name: 'rate-limits', dependencies: ['authentication'] },
)
