import { randomUUID } from 'node:crypto'
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import { AppError } from '@brokerage/platform'
import type { Role__Output } from '@brokerage/contracts/grpc'
import { UUID_PATTERN } from './schemas.js'
import { SIGNING_ALG, type SigningKeys } from './signing-keys.js'

/** A caller's role: the proto's, less its unset value (a principal always has one). */
export type Role = Exclude<Role__Output, 'ROLE_UNSPECIFIED'>

/** Who is calling, as a verified token says. */
export interface AuthPrincipal {
  /** The token's `sub`: the identity provider's user id (for the built-in issuer, the account id). */
  subject: string
  role: Role
  /** Set for CUSTOMER. */
  customerId?: string
  /** Set for BROKER. */
  brokerId?: string
  /** The built-in issuer's session (`sid`), which sign-out and revocation end. */
  sessionId?: string
}

export type TokenVerifier = (token: string) => Promise<AuthPrincipal>

// A token's clock and ours may disagree by a few seconds (several gateway instances).
const CLOCK_TOLERANCE_SECONDS = 5

/** The built-in issuer: JWTs signed with the gateway's stored key. */
export function createTokenIssuer(opts: {
  keys: SigningKeys
  issuer: () => string
  audience: string
  ttlSeconds: number
  now: () => number
}) {
  return {
    /** An access token of `sessionId`, for the account it was opened for. */
    async issue(p: AuthPrincipal & { username?: string }, sessionId: string) {
      const iat = Math.floor(opts.now() / 1000)
      const claims: JWTPayload = { role: p.role, sid: sessionId }
      if (p.customerId) claims['customer_id'] = p.customerId
      if (p.brokerId) claims['broker_id'] = p.brokerId
      if (p.username) claims['preferred_username'] = p.username
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: SIGNING_ALG, kid: opts.keys.current.kid, typ: 'JWT' })
        .setIssuer(opts.issuer())
        .setAudience(opts.audience)
        .setSubject(p.subject)
        .setIssuedAt(iat)
        .setExpirationTime(iat + opts.ttlSeconds)
        .setJti(randomUUID())
        .sign(opts.keys.current.key)
      return { access_token: token, token_type: 'Bearer' as const, expires_in: opts.ttlSeconds }
    },
  }
}

/** Verifies tokens of the built-in issuer against its own JWKS. */
export function createLocalVerifier(opts: { keys: SigningKeys; issuer: () => string; audience: string; now: () => number }): TokenVerifier {
  const keySet = createLocalJWKSet(opts.keys.jwks)
  return async (token) => {
    const payload = await verify(token, keySet, {
      issuer: opts.issuer(),
      audience: opts.audience,
      algorithms: [SIGNING_ALG],
      now: opts.now,
    })
    // Every built-in token belongs to a session; one without could not be signed out.
    if (typeof payload['sid'] !== 'string' || !uuidRe.test(payload['sid'])) throw unauthenticated('Token has no session')
    return { ...principalFromClaims(payload), sessionId: payload['sid'] }
  }
}

/** Refuses tokens whose session has ended, after (and however) they were verified. */
export function checkSessions(verify: TokenVerifier, sessions: { check(sessionId: string): Promise<void> }): TokenVerifier {
  return async (token) => {
    const principal = await verify(token)
    if (principal.sessionId) await sessions.check(principal.sessionId)
    return principal
  }
}

/**
 * Verifies tokens of an external OpenID Connect provider (Keycloak, …): its discovery
 * document names the JWKS, whose keys jose fetches and caches (refetching on an unknown
 * kid, so the provider can rotate keys). Discovery runs on first use and again after a
 * failure, so the gateway starts even while the provider is down.
 */
export function createOidcVerifier(opts: { issuerUrl: string; audience: string; claims?: ClaimNames; now: () => number }): TokenVerifier {
  let discovered: Promise<{ issuer: string; keySet: JWTVerifyGetKey }> | undefined
  const configured = opts.issuerUrl.replace(/\/+$/, '')

  async function discover() {
    const res = await fetch(`${configured}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5000) })
    if (!res.ok) throw new Error(`discovery answered ${res.status}`)
    const doc = (await res.json()) as { issuer?: unknown; jwks_uri?: unknown }
    // OIDC Discovery §4.3: the document must name the issuer it was fetched for.
    if (typeof doc.issuer !== 'string' || doc.issuer.replace(/\/+$/, '') !== configured) {
      throw new Error(`discovery names issuer ${String(doc.issuer)}, expected ${configured}`)
    }
    if (typeof doc.jwks_uri !== 'string') throw new Error('discovery has no jwks_uri')
    return { issuer: doc.issuer, keySet: createRemoteJWKSet(new URL(doc.jwks_uri), { timeoutDuration: 5000 }) }
  }

  return async (token) => {
    discovered ??= discover().catch((err: unknown) => {
      discovered = undefined
      throw new AppError('UNAVAILABLE', 'The identity provider cannot be reached', { cause: err, retryAfterSeconds: 5 })
    })
    const { issuer, keySet } = await discovered
    const payload = await verify(token, keySet, { issuer, audience: opts.audience, now: opts.now })
    return principalFromClaims(payload, opts.claims)
  }
}

/**
 * Remembers the tokens `verify` accepted, so a client's next requests with the same token
 * skip the signature check (ES256 verification was the gateway's largest CPU cost). An
 * entry lasts until the token expires, and at most `maxAgeMs`, which bounds how long a key
 * removed from the provider's JWKS is still trusted; past that the token is verified again,
 * which refuses it if it has expired. Refusals are not remembered. Least recently used
 * entries go first once `maxEntries` are held.
 */
export function cacheVerifiedTokens(
  verify: TokenVerifier,
  opts: { now: () => number; maxEntries?: number; maxAgeMs?: number },
): TokenVerifier {
  const maxEntries = opts.maxEntries ?? 4096
  const maxAgeMs = opts.maxAgeMs ?? 5 * 60_000
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recent first.
  const verified = new Map<string, { principal: AuthPrincipal; until: number }>()
  return async (token) => {
    const hit = verified.get(token)
    if (hit) {
      verified.delete(token)
      if (opts.now() < hit.until) {
        verified.set(token, hit)
        return hit.principal
      }
    }
    const principal = Object.freeze(await verify(token))
    // Verified, so `exp` is present (a required claim).
    const until = Math.min(Number(decodeJwt(token).exp) * 1000, opts.now() + maxAgeMs)
    if (until > opts.now()) {
      verified.set(token, { principal, until })
      if (verified.size > maxEntries) verified.delete(verified.keys().next().value!)
    }
    return principal
  }
}

async function verify(
  token: string,
  keySet: JWTVerifyGetKey,
  o: { issuer: string; audience: string; algorithms?: string[]; now: () => number },
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, keySet, {
      issuer: o.issuer,
      audience: o.audience,
      ...(o.algorithms ? { algorithms: o.algorithms } : {}),
      currentDate: new Date(o.now()),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
    })
    return payload
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw unauthenticated('Token expired', err)
    if (err instanceof errors.JWKSTimeout) {
      throw new AppError('UNAVAILABLE', 'The identity provider cannot be reached', { cause: err, retryAfterSeconds: 5 })
    }
    if (err instanceof errors.JOSEError) throw unauthenticated('Invalid token', err)
    if (err instanceof AppError) throw err
    // fetch failures of the remote JWKS: the provider, not the token, is the problem.
    throw new AppError('UNAVAILABLE', 'The identity provider cannot be reached', { cause: err, retryAfterSeconds: 5 })
  }
}

const ROLES: readonly Role[] = ['ADMIN', 'BROKER', 'CUSTOMER']
const uuidRe = new RegExp(UUID_PATTERN)

/**
 * Which claims of a token name the caller's brokerage identity. An external provider's
 * subject (`sub`) is its own user id, not a customer or broker id, so those come from
 * claims of their own (in Keycloak, user-attribute mappers; in Auth0, namespaced claims).
 * A name is read as a top-level claim first, then as a path: `realm_access.roles` is the
 * `roles` field of the `realm_access` claim.
 */
export interface ClaimNames {
  /** Claims holding a role name or a list of them, matched case-insensitively; the most privileged brokerage role wins. */
  roles: readonly string[]
  /** The customer id of a CUSTOMER. */
  customerId: string
  /** The broker id of a BROKER. */
  brokerId: string
}

/** The built-in issuer's claims, and Keycloak's realm roles. */
export const DEFAULT_CLAIMS: ClaimNames = {
  roles: ['role', 'roles', 'realm_access.roles'],
  customerId: 'customer_id',
  brokerId: 'broker_id',
}

function claimAt(claims: JWTPayload, name: string): unknown {
  if (name in claims) return claims[name]
  let v: unknown = claims
  for (const part of name.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

/** Maps a verified token's claims to a principal, reading the identity where `names` say. */
export function principalFromClaims(claims: JWTPayload, names: ClaimNames = DEFAULT_CLAIMS): AuthPrincipal {
  const roleNames = new Set<string>()
  for (const name of names.roles) {
    const v = claimAt(claims, name)
    for (const x of Array.isArray(v) ? v : [v]) if (typeof x === 'string') roleNames.add(x.toUpperCase())
  }
  const role = ROLES.find((r) => roleNames.has(r))
  if (!role) throw unauthenticated('Token carries no brokerage role')
  const subject = claims.sub
  if (typeof subject !== 'string' || subject === '') throw unauthenticated('Token has no subject')
  const idOf = (name: string) => {
    const id = claimAt(claims, name)
    if (typeof id !== 'string' || !uuidRe.test(id)) throw unauthenticated(`${role.toLowerCase()} token has no ${name} claim holding a UUID`)
    return id
  }
  if (role === 'CUSTOMER') return { subject, role, customerId: idOf(names.customerId) }
  if (role === 'BROKER') return { subject, role, brokerId: idOf(names.brokerId) }
  return { subject, role }
}

export function unauthenticated(message: string, cause?: unknown): AppError {
  return new AppError('UNAUTHENTICATED', message, cause === undefined ? {} : { cause })
}
