import { ConfigError, isProduction, readConfig, runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startGatewayService } from './app.js'
import { LIMITS } from './rate-limit.js'
import { DEFAULT_CLAIMS } from './tokens.js'

const GATEWAY_ENV = {
  PORT: { type: 'int', default: 8080, min: 0, max: 65535 },
  CUSTOMER_GRPC_URL: { type: 'string' },
  ASSET_GRPC_URL: { type: 'string' },
  ORDER_GRPC_URL: { type: 'string' },
  ORDER_PROCESSOR_GRPC_URL: { type: 'string' },
  NOTIFICATION_GRPC_URL: { type: 'string' },
  AUDIT_GRPC_URL: { type: 'string' },
  ADMIN_USERNAME: { type: 'string', default: 'admin' },
  ADMIN_PASSWORD: { type: 'string', default: 'admin', productionRequired: true, secret: true },
  // An ES256 private key as a JWK; unset, the first gateway generates one (development only).
  TOKEN_SIGNING_KEY: { type: 'string', secret: true },
  // Origins a browser app may call the API from, comma-separated; none by default.
  CORS_ORIGINS: { type: 'string', default: '' },
  PUBLIC_URL: { type: 'url' },
  // Access tokens: short, since a stolen one works until it expires or its session ends.
  TOKEN_TTL_SECONDS: { type: 'int', default: 900, min: 60, max: 900 },
  REFRESH_TOKEN_TTL_SECONDS: { type: 'int', default: 7 * 86_400, min: 300, max: 90 * 86_400 },
  SESSION_TTL_SECONDS: { type: 'int', default: 30 * 86_400, min: 300, max: 365 * 86_400 },
  TOKEN_AUDIENCE: { type: 'string', default: 'brokerage-api' },
  OIDC_ISSUER_URL: { type: 'url' },
  // Claim names (or paths such as realm_access.roles) in the external provider's tokens.
  OIDC_ROLES_CLAIMS: { type: 'string', default: DEFAULT_CLAIMS.roles.join(',') },
  OIDC_CUSTOMER_ID_CLAIM: { type: 'string', default: DEFAULT_CLAIMS.customerId },
  OIDC_BROKER_ID_CLAIM: { type: 'string', default: DEFAULT_CLAIMS.brokerId },
  // Shared rate limits and idempotency keys for several gateway instances (redis://host:6379).
  REDIS_URL: { type: 'url', secret: true },
  // Requests a minute per address for callers without a valid token; tests calling from one address raise it.
  RATE_LIMIT_PER_ADDRESS: { type: 'int', default: LIMITS.ANONYMOUS, min: 1 },
  // Requests a minute for brokers and admins; tests driving a whole flow as admin raise it.
  RATE_LIMIT_STAFF: { type: 'int', default: LIMITS.STAFF, min: 1 },
} as const

await runService('gateway', async () => {
  const env = readConfig(process.env, GATEWAY_ENV)
  const config = serviceConfigFromEnv(process.env)
  if (isProduction(process.env) && !env.OIDC_ISSUER_URL && !env.TOKEN_SIGNING_KEY) {
    throw new ConfigError([
      'TOKEN_SIGNING_KEY: required in production (NODE_ENV=production) unless OIDC_ISSUER_URL is set; a generated signing key is for development',
    ])
  }
  // HTTP_PORT (set by npm start) wins; PORT is the documented knob (SPEC §6), 8080 by default.
  if (!process.env.HTTP_PORT) config.httpPort = env.PORT
  return startGatewayService({
    config,
    gateway: {
      services: {
        customer: env.CUSTOMER_GRPC_URL,
        asset: env.ASSET_GRPC_URL,
        order: env.ORDER_GRPC_URL,
        processor: env.ORDER_PROCESSOR_GRPC_URL,
        notification: env.NOTIFICATION_GRPC_URL,
        audit: env.AUDIT_GRPC_URL,
      },
      admin: { username: env.ADMIN_USERNAME, password: env.ADMIN_PASSWORD },
      signingKey: env.TOKEN_SIGNING_KEY,
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      publicUrl: env.PUBLIC_URL,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      refreshTtlSeconds: env.REFRESH_TOKEN_TTL_SECONDS,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      audience: env.TOKEN_AUDIENCE,
      oidcIssuerUrl: env.OIDC_ISSUER_URL,
      redisUrl: env.REDIS_URL,
      perAddressLimit: env.RATE_LIMIT_PER_ADDRESS,
      staffLimit: env.RATE_LIMIT_STAFF,
      oidcClaims: {
        roles: env.OIDC_ROLES_CLAIMS.split(',')
          .map((c) => c.trim())
          .filter(Boolean),
        customerId: env.OIDC_CUSTOMER_ID_CLAIM,
        brokerId: env.OIDC_BROKER_ID_CLAIM,
      },
    },
  })
})
