import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { addLogFields, AppError } from '@brokerage/platform'
import { fingerprintOf, type IdempotencyStore } from './idempotency.js'
import { LIMITS, limitForTier, type RateLimiter } from './rate-limit.js'
import { principalKey, requestAuth, setPrincipal } from './request-context.js'
import { auditRoutes } from './routes/audit.js'
import { authRoutes } from './routes/auth.js'
import { customerRoutes } from './routes/customers.js'
import type { RouteDeps } from './routes/deps.js'
import { marketRoutes } from './routes/markets.js'
import { notificationRoutes } from './routes/notifications.js'
import { orderRoutes } from './routes/orders.js'
import { unauthenticated, type AuthPrincipal, type TokenVerifier } from './tokens.js'
import { createValidatorCompiler } from './validation.js'

export interface ApiDeps extends RouteDeps {
  verify: TokenVerifier
  limiter: RateLimiter
  idempotency: IdempotencyStore
}

const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/
// Response headers a replay must repeat, besides status and body.
const REPLAYED_HEADERS = ['content-type', 'preference-applied', 'location']

/**
 * The REST API under /api. Every request passes, in order: authentication and the rate
 * limit (onRequest, before the body is even read), the role check, schema validation,
 * the idempotency key (preHandler), then the handler, whose scoping checks answer 404 for
 * another customer's data.
 */
export function apiPlugin(deps: ApiDeps): FastifyPluginAsync {
  return async (api) => {
    api.setValidatorCompiler(createValidatorCompiler())
    // JSON only: fastify would also parse text/plain, which no route takes (415 instead).
    api.removeContentTypeParser('text/plain')

    api.addHook('onRequest', async (req, reply) => {
      const config = req.routeOptions.config
      let principal: AuthPrincipal | undefined
      let failure: unknown
      if (!config.public) {
        try {
          principal = await deps.verify(bearerToken(req))
        } catch (err) {
          failure = err
        }
      }
      // Failed sign-ins count against the caller's address, so tokens cannot be guessed at full speed.
      const key = principal ? principalKey(principal) : `ip:${req.ip}`
      const decision = deps.limiter.take(key, principal ? await limitOf(principal) : LIMITS.ANONYMOUS)
      reply.header('x-ratelimit-limit', String(decision.limit))
      reply.header('x-ratelimit-remaining', String(decision.remaining))
      if (!decision.allowed) {
        throw new AppError('RATE_LIMITED', `Rate limit of ${decision.limit} requests a minute exceeded`, {
          retryAfterSeconds: decision.retryAfterSeconds,
          details: { limit: decision.limit, windowSeconds: 60 },
        })
      }
      if (failure !== undefined) {
        if (failure instanceof AppError && failure.code === 'UNAUTHENTICATED') {
          reply.header('www-authenticate', `Bearer error="invalid_token"`)
        }
        throw failure
      }
      if (!principal) return
      setPrincipal(req, principal)
      addLogFields(principal.customerId ? { customerId: principal.customerId } : { principal: principalKey(principal) })
      if (config.roles && !config.roles.includes(principal.role)) {
        throw new AppError('FORBIDDEN', `${principal.role} may not ${req.method} ${req.routeOptions.url ?? req.url}`)
      }
    })

    api.addHook('preHandler', async (req, reply) => {
      const auth = requestAuth(req)
      const header = req.headers['idempotency-key']
      if (req.method !== 'POST' || !auth || header === undefined) return
      if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
        throw new AppError('VALIDATION_FAILED', 'Request validation failed', {
          details: [{ field: 'headers.idempotency-key', message: 'must be 1 to 255 printable ASCII characters, sent once' }],
        })
      }
      const owner = principalKey(auth.principal)
      const begun = await deps.idempotency.begin(owner, header, fingerprintOf(req.method, req.url, req.body))
      switch (begun.kind) {
        case 'started':
          auth.idempotency = { principal: owner, key: header }
          return
        case 'replay':
          return replay(reply, begun)
        case 'mismatch':
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request')
        case 'in-flight':
          throw new AppError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed', {
            retryAfterSeconds: 1,
          })
      }
    })

    api.addHook('onSend', async (req, reply, payload) => {
      const auth = requestAuth(req)
      const owned = auth?.idempotency
      if (!auth || !owned) return payload
      auth.idempotency = undefined
      try {
        if (reply.statusCode >= 500) await deps.idempotency.release(owned.principal, owned.key)
        else await deps.idempotency.complete(owned.principal, owned.key, reply.statusCode, bodyText(payload), replayedHeaders(reply))
      } catch (err) {
        // The response itself is fine; a retry will find the key in flight until it is abandoned.
        req.log.warn({ err }, 'could not store the idempotent response')
      }
      return payload
    })

    async function limitOf(p: AuthPrincipal): Promise<number> {
      if (p.role !== 'CUSTOMER') return LIMITS.STAFF
      return limitForTier(await deps.tiers.tierOf(p.customerId!))
    }

    await api.register(authRoutes(deps))
    await api.register(customerRoutes(deps))
    await api.register(orderRoutes(deps))
    await api.register(marketRoutes(deps))
    await api.register(notificationRoutes(deps))
    await api.register(auditRoutes(deps))
  }
}

function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization
  const m = typeof h === 'string' ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(h.trim()) : null
  if (!m) throw unauthenticated('A bearer token is required')
  return m[1]!
}

function replay(reply: FastifyReply, stored: { status: number; body: string; headers: Record<string, string> }) {
  for (const [k, v] of Object.entries(stored.headers)) reply.header(k, v)
  reply.header('idempotent-replayed', 'true')
  return reply.code(stored.status).send(stored.body)
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of REPLAYED_HEADERS) {
    const v = reply.getHeader(name)
    if (v !== undefined) out[name] = String(v)
  }
  return out
}

function bodyText(payload: unknown): string {
  if (typeof payload === 'string') return payload
  if (Buffer.isBuffer(payload)) return payload.toString('utf8')
  return payload === null || payload === undefined ? '' : JSON.stringify(payload)
}
