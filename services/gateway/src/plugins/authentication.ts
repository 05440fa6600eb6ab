import type { FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { addLogFields, AppError } from '@brokerage/platform'
import { principalKey, requestAuth, setPrincipal } from '../request-context.js'
import { unauthenticated, type TokenVerifier } from '../tokens.js'

// Why a token was refused, kept from onRequest to preParsing so the rate limit (onRequest,
// registered after this plugin) counts a failed sign-in against the caller's address first.
const failures = new WeakMap<FastifyRequest, unknown>()

/**
 * Authentication and roles. onRequest verifies the bearer token of every route not marked
 * `public` and records who calls; preParsing (still before the body is read) answers 401
 * for a refused token and 403 for a role the route does not allow.
 */
export const authentication = fp<{ verify: TokenVerifier }>(
  async (api, { verify }) => {
    api.addHook('onRequest', async (req) => {
      if (req.routeOptions.config.public) return
      try {
        const principal = await verify(bearerToken(req))
        setPrincipal(req, principal)
        addLogFields(principal.customerId ? { customerId: principal.customerId } : { principal: principalKey(principal) })
      } catch (err) {
        failures.set(req, err)
      }
    })

    // Callback-style, not async: it decides at once, and an async hook costs every request a
    // promise and a microtask (and the async-context propagation of both).
    api.addHook('preParsing', (req, reply, payload, done) => {
      const config = req.routeOptions.config
      if (config.public) return done(null, payload)
      if (failures.has(req)) {
        const failure = failures.get(req)
        if (failure instanceof AppError && failure.code === 'UNAUTHENTICATED') {
          reply.header('www-authenticate', `Bearer error="invalid_token"`)
        }
        return done(failure as Error)
      }
      const { role } = requestAuth(req)!.principal
      if (config.roles && !config.roles.includes(role)) {
        return done(new AppError('FORBIDDEN', `${role} may not ${req.method} ${req.routeOptions.url ?? req.url}`))
      }
      done(null, payload)
    })
  },
  { name: 'authentication' },
)

function bearerToken(req: FastifyRequest): string {
  const h = req.headers.authorization
  const m = typeof h === 'string' ? /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(h.trim()) : null
  if (!m) throw unauthenticated('A bearer token is required')
  return m[1]!
}
