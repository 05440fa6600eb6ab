import { fileURLToPath } from 'node:url'
import { createServiceRuntime, type ServiceConfig } from '@brokerage/platform'
import { createAccess } from './access.js'
import { registerApi } from './api.js'
import { createClients, type ResilienceOptions, type ServiceAddresses } from './clients.js'
import { registerDocs } from './docs.js'
import { createIdempotencyStore, createRedisIdempotencyStore } from './idempotency.js'
import { createLiveFeed, type LiveOptions } from './live/index.js'
import { createRateLimiter, createRedisRateLimiter, createTierCache, withConfiguredLimits } from './rate-limit.js'
import { startSessions } from './sessions.js'
import { createSignInThrottle } from './sign-in-throttle.js'
import { securityHeaders } from './plugins/headers.js'
import { webPlugin } from './plugins/web.js'
import { configuredSigningKeys, loadSigningKeys } from './signing-keys.js'
import {
  cacheVerifiedTokens,
  checkSessions,
  createLocalVerifier,
  createOidcVerifier,
  createTokenIssuer,
  DEFAULT_CLAIMS,
  type ClaimNames,
} from './tokens.js'
import { wellKnownRoutes } from './well-known.js'

export interface GatewayOptions {
  /** gRPC addresses (host:port); a missing one makes its routes answer 503 UNAVAILABLE. */
  services: ServiceAddresses
  /** The dev admin (SPEC §6: admin / admin unless configured). */
  admin: { username: string; password: string }
  /** The built-in issuer's key (a private JWK); unset, one is generated and stored. */
  signingKey?: string
  /** Origins allowed to call the API from a browser (CORS); none when unset. */
  corsOrigins?: readonly string[]
  /** The built-in issuer's URL (`iss`); http://127.0.0.1:<port> when unset. */
  publicUrl?: string
  /** Access tokens' lifetime (15 minutes unless set; main.ts allows no more). */
  tokenTtlSeconds?: number
  /** A refresh token's lifetime; each refresh starts a new one. */
  refreshTtlSeconds?: number
  /** A session's absolute lifetime, however often it is refreshed. */
  sessionTtlSeconds?: number
  /** `aud` of issued tokens, and the audience required of every token. */
  audience?: string
  /** An external OpenID Connect provider whose tokens replace the built-in issuer's. */
  oidcIssuerUrl?: string
  /** Where the external provider's tokens carry roles and ids (DEFAULT_CLAIMS for any not given). */
  oidcClaims?: Partial<ClaimNames>
  /** Milliseconds since the epoch; tests move it instead of sleeping. */
  now?: () => number
  /** How long a customer's tier is trusted before it is asked again. */
  tierCacheMs?: number
  /** Redis shared by every instance for rate limits and idempotency keys; unset, each keeps its own limits. */
  redisUrl?: string
  /** Requests a minute per address for callers without a valid token (LIMITS.ANONYMOUS unless set). */
  perAddressLimit?: number
  /** Requests a minute for brokers and admins (LIMITS.STAFF unless set). */
  staffLimit?: number
  /** The live feed's limits (LIVE_DEFAULTS for any not given). */
  live?: Partial<LiveOptions>
  /** Deadlines and breakers of the calls to the services (DEFAULT_RESILIENCE for any not given). */
  resilience?: ResilienceOptions
}

export const DEFAULT_AUDIENCE = 'brokerage-api'
export const MAX_ACCESS_TTL_SECONDS = 15 * 60
const BODY_LIMIT = 16 * 1024
const PURGE_EVERY_MS = 60 * 60 * 1000

export async function startGatewayService(opts: { config: ServiceConfig; gateway: GatewayOptions }) {
  const { gateway } = opts
  const now = gateway.now ?? Date.now
  const audience = gateway.audience ?? DEFAULT_AUDIENCE

  const runtime = await createServiceRuntime({
    name: 'gateway',
    // Metrics and the detailed readiness answer never on the public port.
    config: { ...opts.config, opsPort: opts.config.opsPort ?? 0 },
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
    bodyLimit: BODY_LIMIT,
  })

  const clients = createClients(gateway.services, { tls: opts.config.grpcTls, metrics: runtime.metrics, ...gateway.resilience })
  runtime.onStop(() => clients.close())
  runtime.addReadyDetail(() => ({ breakers: clients.breakerStates() }))
  const access = createAccess(clients)

  // Identity: the built-in issuer by default, or an external OIDC provider instead.
  const issuerUrl = () => (gateway.publicUrl ?? `http://127.0.0.1:${runtime.ports.http}`).replace(/\/+$/, '')
  const keys = gateway.oidcIssuerUrl
    ? undefined
    : gateway.signingKey
      ? await configuredSigningKeys(gateway.signingKey)
      : await loadSigningKeys(runtime.db)
  const accessTtlSeconds = gateway.tokenTtlSeconds ?? MAX_ACCESS_TTL_SECONDS
  const issuer = keys && createTokenIssuer({ keys, issuer: issuerUrl, audience, ttlSeconds: accessTtlSeconds, now })
  const sessions = keys
    ? await startSessions({
        db: runtime.db,
        log: runtime.log,
        now,
        accessTtlSeconds,
        refreshTtlSeconds: gateway.refreshTtlSeconds ?? 7 * 86_400,
        sessionTtlSeconds: gateway.sessionTtlSeconds ?? 30 * 86_400,
        outbox: runtime.outbox,
      })
    : undefined
  if (sessions) runtime.onStop(() => sessions.stop())
  const throttle = keys ? createSignInThrottle({ db: runtime.db, now }) : undefined
  const cached = cacheVerifiedTokens(
    keys
      ? createLocalVerifier({ keys, issuer: issuerUrl, audience, now })
      : createOidcVerifier({ issuerUrl: gateway.oidcIssuerUrl!, audience, claims: { ...DEFAULT_CLAIMS, ...gateway.oidcClaims }, now }),
    { now },
  )
  // The session is checked on every request, cached signature or not: sign-out is immediate.
  const verify = sessions ? checkSessions(cached, sessions) : cached

  // No offline queue: while Redis is away a command fails at once (the limiter falls back to this
  // instance's buckets, an idempotent request is told 503) rather than waiting out reconnections.
  const redis = gateway.redisUrl
    ? // Loaded only when configured: ioredis costs an instance that runs without it ≈ 7 MB of heap.
      new (await import('ioredis')).Redis(gateway.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false })
    : undefined
  if (redis) {
    redis.on('error', (err: unknown) => runtime.log.warn({ err }, 'redis connection failed; retrying'))
    await redis.connect()
    runtime.onStop(async () => void (await redis.quit()))
    // Shown, not deciding: every gateway shares this Redis, so failing readiness on it would take the
    // whole fleet out of service at once, while without it only idempotent requests are refused (503)
    // and each instance limits alone.
    runtime.addReadyDetail(() => ({ redis: redis.status === 'ready' ? 'ok' : `unavailable (${redis.status})` }))
  }
  const localLimiter = createRateLimiter({ now })
  const limiter = withConfiguredLimits(
    redis
      ? createRedisRateLimiter({
          redis,
          fallback: localLimiter,
          onError: (err) => runtime.log.warn({ err }, 'shared rate limit unavailable; this instance limits alone'),
        })
      : localLimiter,
    { perAddress: gateway.perAddressLimit, staff: gateway.staffLimit },
  )
  const tiers = createTierCache({
    now,
    ttlMs: gateway.tierCacheMs,
    fetchTier: async (id) => (await clients.call('customer', 'GetCustomer', { id })).tier,
  })

  const idempotency = redis ? createRedisIdempotencyStore(redis, now) : createIdempotencyStore(runtime.db, now)
  const purge = () =>
    Promise.all([idempotency.purgeExpired(), sessions?.purgeExpired(), throttle?.purgeExpired()]).catch((err: unknown) =>
      runtime.log.warn({ err }, 'purging expired idempotency keys, sessions or sign-in failures failed'),
    )
  await purge()
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS)
  purgeTimer.unref()
  runtime.onStop(() => clearInterval(purgeTimer))

  await runtime.http.register(securityHeaders, { corsOrigins: gateway.corsOrigins ?? [], publicUrl: gateway.publicUrl })
  await registerDocs(runtime.http)
  if (keys) await runtime.http.register(wellKnownRoutes({ keys, issuer: issuerUrl }))
  await registerApi(runtime.http, {
    clients,
    access,
    tiers,
    issuer,
    sessions,
    throttle,
    externalIssuerUrl: gateway.oidcIssuerUrl,
    admin: gateway.admin,
    verify,
    limiter,
    idempotency,
  })
  // The live feed's messages carry their own shape; it is served at /api/v1/ws (alias /api/ws) beside the REST API.
  const live = await createLiveFeed(runtime, { verify, access, limiter, options: gateway.live })
  sessions?.onEnded((sessionId) => live.hub.sessionEnded(sessionId))
  await runtime.http.register(live.plugin, { prefix: '/api' })
  await runtime.http.register(webPlugin)

  await runtime.listen()
  return { runtime, idempotency, sessions, issuerUrl, live, stop: () => runtime.stop() }
}

export type GatewayService = Awaited<ReturnType<typeof startGatewayService>>
