import { fileURLToPath } from 'node:url'
import { createServiceRuntime, type ServiceConfig } from '@brokerage/platform'
import { createAccess } from './access.js'
import { apiPlugin } from './api.js'
import { createClients, type ServiceAddresses } from './clients.js'
import { registerDocs } from './docs.js'
import { createIdempotencyStore } from './idempotency.js'
import { createRateLimiter, createTierCache } from './rate-limit.js'
import { loadSigningKeys } from './signing-keys.js'
import {
  cacheVerifiedTokens,
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
  /** The built-in issuer's URL (`iss`); http://127.0.0.1:<port> when unset. */
  publicUrl?: string
  tokenTtlSeconds?: number
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
}

export const DEFAULT_AUDIENCE = 'brokerage-api'
const BODY_LIMIT = 16 * 1024
const PURGE_EVERY_MS = 60 * 60 * 1000

export async function startGatewayService(opts: { config: ServiceConfig; gateway: GatewayOptions }) {
  const { gateway } = opts
  const now = gateway.now ?? Date.now
  const audience = gateway.audience ?? DEFAULT_AUDIENCE

  const runtime = await createServiceRuntime({
    name: 'gateway',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
    bodyLimit: BODY_LIMIT,
  })

  const clients = createClients(gateway.services)
  runtime.onStop(() => clients.close())
  const access = createAccess(clients)

  // Identity: the built-in issuer by default, or an external OIDC provider instead.
  const issuerUrl = () => (gateway.publicUrl ?? `http://127.0.0.1:${runtime.ports.http}`).replace(/\/+$/, '')
  const keys = gateway.oidcIssuerUrl ? undefined : await loadSigningKeys(runtime.db)
  const issuer = keys && createTokenIssuer({ keys, issuer: issuerUrl, audience, ttlSeconds: gateway.tokenTtlSeconds ?? 3600, now })
  const verify = cacheVerifiedTokens(
    keys
      ? createLocalVerifier({ keys, issuer: issuerUrl, audience, now })
      : createOidcVerifier({ issuerUrl: gateway.oidcIssuerUrl!, audience, claims: { ...DEFAULT_CLAIMS, ...gateway.oidcClaims }, now }),
    { now },
  )

  const limiter = createRateLimiter({ now })
  const tiers = createTierCache({
    now,
    ttlMs: gateway.tierCacheMs,
    fetchTier: async (id) => (await clients.call('customer', 'GetCustomer', { id })).tier,
  })

  const idempotency = createIdempotencyStore(runtime.db, now)
  const purge = () =>
    idempotency.purgeExpired().catch((err: unknown) => runtime.log.warn({ err }, 'purging expired idempotency keys failed'))
  await purge()
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS)
  purgeTimer.unref()
  runtime.onStop(() => clearInterval(purgeTimer))

  await registerDocs(runtime.http)
  if (keys) await runtime.http.register(wellKnownRoutes({ keys, issuer: issuerUrl }))
  await runtime.http.register(
    apiPlugin({
      clients,
      access,
      tiers,
      issuer,
      externalIssuerUrl: gateway.oidcIssuerUrl,
      admin: gateway.admin,
      verify,
      limiter,
      idempotency,
    }),
    { prefix: '/api' },
  )

  await runtime.listen()
  return { runtime, idempotency, issuerUrl, stop: () => runtime.stop() }
}

export type GatewayService = Awaited<ReturnType<typeof startGatewayService>>
