import { readConfig, runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startGatewayService } from './app.js'
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
  ADMIN_PASSWORD: { type: 'string', default: 'admin' },
  PUBLIC_URL: { type: 'url' },
  TOKEN_TTL_SECONDS: { type: 'int', default: 3600, min: 60, max: 86_400 },
  TOKEN_AUDIENCE: { type: 'string', default: 'brokerage-api' },
  OIDC_ISSUER_URL: { type: 'url' },
  // Claim names (or paths such as realm_access.roles) in the external provider's tokens.
  OIDC_ROLES_CLAIMS: { type: 'string', default: DEFAULT_CLAIMS.roles.join(',') },
  OIDC_CUSTOMER_ID_CLAIM: { type: 'string', default: DEFAULT_CLAIMS.customerId },
  OIDC_BROKER_ID_CLAIM: { type: 'string', default: DEFAULT_CLAIMS.brokerId },
} as const

await runService('gateway', async () => {
  const env = readConfig(process.env, GATEWAY_ENV)
  const config = serviceConfigFromEnv(process.env)
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
      publicUrl: env.PUBLIC_URL,
      tokenTtlSeconds: env.TOKEN_TTL_SECONDS,
      audience: env.TOKEN_AUDIENCE,
      oidcIssuerUrl: env.OIDC_ISSUER_URL,
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
