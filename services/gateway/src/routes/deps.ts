import type { Access } from '../access.js'
import type { Clients } from '../clients.js'
import type { createTierCache } from '../rate-limit.js'
import type { Sessions } from '../sessions.js'
import type { SignInThrottle } from '../sign-in-throttle.js'
import type { createTokenIssuer, Role } from '../tokens.js'

export interface RouteDeps {
  clients: Clients
  access: Access
  tiers: ReturnType<typeof createTierCache>
  /** Undefined when an external OIDC provider replaces the built-in issuer. */
  issuer: ReturnType<typeof createTokenIssuer> | undefined
  /** The built-in issuer's sessions and sign-in throttle (undefined with it). */
  sessions: Sessions | undefined
  throttle: SignInThrottle | undefined
  externalIssuerUrl: string | undefined
  admin: { username: string; password: string }
}

/** OpenAPI metadata shared by a group of routes. */
export function doc(tag: string, summary: string, opts: { public?: boolean; roles?: readonly Role[] } = {}) {
  const who = opts.public ? '' : opts.roles ? ` (${opts.roles.join(', ')})` : ' (any signed-in user)'
  return {
    tags: [tag],
    summary: `${summary}${who}`,
    ...(opts.public ? {} : { security: [{ bearerAuth: [] }] }),
  }
}
