import type { FastifyPluginAsync, FastifySchemaCompiler } from 'fastify'
import { AppError, type HttpServer } from '@brokerage/platform'
import type { IdempotencyStore } from './idempotency.js'
import { authentication } from './plugins/authentication.js'
import { idempotencyKeys } from './plugins/idempotency-keys.js'
import { rateLimits } from './plugins/rate-limits.js'
import type { RateLimiter } from './rate-limit.js'
import { auditRoutes } from './routes/audit.js'
import { authRoutes } from './routes/auth.js'
import { customerRoutes } from './routes/customers.js'
import type { RouteDeps } from './routes/deps.js'
import { marketRoutes } from './routes/markets.js'
import { notificationRoutes } from './routes/notifications.js'
import { orderRoutes } from './routes/orders.js'
import type { TokenVerifier } from './tokens.js'
import { createSerializerCompiler, createValidatorCompiler, illFormedStrings } from './validation.js'

export interface ApiDeps extends RouteDeps {
  verify: TokenVerifier
  limiter: RateLimiter
  idempotency: IdempotencyStore
}

/**
 * The REST API under /api. Every request passes, in order: authentication and the rate
 * limit (onRequest, before the body is even read), the role check (preParsing), schema
 * validation, the idempotency key (preHandler), then the handler, whose scoping checks
 * answer 404 for another customer's data. `versionPrefix` is the version the routes are
 * (/api/v1), also when an alias serves them: idempotency keys treat both paths as one resource.
 * `validator`, `serializer`: an alias passes the version's, so each schema is compiled once for both.
 */
export function apiPlugin(
  deps: ApiDeps,
  versionPrefix: string,
  validator: FastifySchemaCompiler<object> = createValidatorCompiler(),
  serializer = createSerializerCompiler(),
): FastifyPluginAsync {
  return async (api) => {
    api.setValidatorCompiler(validator)
    api.setSerializerCompiler(serializer)
    // JSON only: fastify would also parse text/plain, which no route takes (415 instead).
    api.removeContentTypeParser('text/plain')
    api.addHook('preValidation', (req, _reply, done) => {
      const fields = illFormedStrings(req.body)
      if (fields.length === 0) return done()
      done(
        new AppError('VALIDATION_FAILED', 'Request validation failed', {
          details: fields.map((field) => ({ field, message: 'must be well-formed Unicode (no lone surrogate)' })),
        }),
      )
    })

    await api.register(authentication, { verify: deps.verify })
    await api.register(rateLimits, { limiter: deps.limiter, tiers: deps.tiers })
    await api.register(idempotencyKeys, { store: deps.idempotency, versionPrefix })

    await api.register(authRoutes(deps))
    await api.register(customerRoutes(deps))
    await api.register(orderRoutes(deps))
    await api.register(marketRoutes(deps))
    await api.register(notificationRoutes(deps))
    await api.register(auditRoutes(deps))
  }
}

/** The version the REST API is at; /api is an alias of it. */
export const API_VERSION = 'v1'
export const API_PREFIX = `/api/${API_VERSION}`

/**
 * The API at /api/v1, and at /api as an alias of the current version (the same routes, hidden
 * from the OpenAPI document so it lists each route once). A v2 would be another plugin at
 * /api/v2 beside this one, with /api moved to it only once v1's clients had been given notice.
 */
export async function registerApi(app: HttpServer, deps: ApiDeps): Promise<void> {
  // Both prefixes' routes share their schemas: Ajv keeps what it compiled by schema object, the
  // serializer compiler likewise.
  const validator = createValidatorCompiler()
  const serializer = createSerializerCompiler()
  await app.register(apiPlugin(deps, API_PREFIX, validator, serializer), { prefix: API_PREFIX })
  await app.register(
    async (alias) => {
      alias.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, hide: true }
      })
      await alias.register(apiPlugin(deps, API_PREFIX, validator, serializer))
    },
    { prefix: '/api' },
  )
}
