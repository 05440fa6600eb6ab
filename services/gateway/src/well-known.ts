import type { FastifyPluginAsync } from 'fastify'
import type { SigningKeys } from './signing-keys.js'
import { SIGNING_ALG } from './signing-keys.js'

/**
 * The built-in issuer's public face: its JWKS and an OpenID discovery document, so any
 * resource server (or another gateway with OIDC_ISSUER_URL) can verify its tokens.
 */
export function wellKnownRoutes(opts: { keys: SigningKeys; issuer: () => string }): FastifyPluginAsync {
  return async (app) => {
    const schema = { tags: ['identity'] }
    app.get(
      '/.well-known/jwks.json',
      { schema: { ...schema, summary: 'Public keys of the built-in token issuer' } },
      async (_req, reply) => {
        reply.header('cache-control', 'public, max-age=300')
        return opts.keys.jwks
      },
    )

    app.get('/.well-known/openid-configuration', { schema: { ...schema, summary: 'OpenID Connect discovery' } }, async (_req, reply) => {
      const issuer = opts.issuer()
      reply.header('cache-control', 'public, max-age=300')
      return {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks.json`,
        // Not an OAuth token endpoint: it takes JSON {username, password} (SPEC §8).
        token_endpoint: `${issuer}/api/auth/login`,
        grant_types_supported: ['password'],
        response_types_supported: ['token'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: [SIGNING_ALG],
        token_endpoint_auth_methods_supported: ['none'],
        claims_supported: ['iss', 'aud', 'sub', 'iat', 'exp', 'jti', 'role', 'customer_id', 'broker_id', 'preferred_username'],
      }
    })
  }
}
