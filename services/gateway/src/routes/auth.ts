import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError } from '@brokerage/platform'
import type { Principal__Output } from '@brokerage/contracts/grpc'
import { accountIdOf, actorOf, principalOf } from '../request-context.js'
import { body, newPassword, responses } from '../schemas.js'
import { factsOf, type SessionGrant } from '../sessions.js'
import type { AuthPrincipal } from '../tokens.js'
import { doc, type RouteDeps } from './deps.js'

type Login = { Body: { username: string; password: string } }
type Refresh = { Body: { refresh_token: string } }
type ChangePassword = { Body: { currentPassword: string; newPassword: string } }

const SIGNED_IN = ['CUSTOMER', 'BROKER'] as const

export function authRoutes({ clients, issuer, sessions, throttle, externalIssuerUrl, admin }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.post<Login>('/auth/login', { config: { public: true }, schema: schemas.login }, login)
    api.post<Refresh>('/auth/refresh', { config: { public: true }, schema: schemas.refresh }, refresh)
    api.post('/auth/logout', { config: { idempotencyKey: false }, schema: schemas.logout }, logout)
    api.post<ChangePassword>('/auth/password', { config: { roles: SIGNED_IN }, schema: schemas.password }, changePassword)
    api.get('/auth/me', { schema: schemas.me }, me)
  }

  function builtIn() {
    if (!issuer || !sessions || !throttle) {
      throw new AppError('NOT_FOUND', `Built-in sign-in is off: obtain a token from ${externalIssuerUrl}`)
    }
    return { issuer, sessions, throttle }
  }

  async function tokens(grant: SessionGrant) {
    const { access_token, token_type, expires_in } = await builtIn().issuer.issue(grant.principal, grant.sessionId)
    return { access_token, token_type, expires_in, refresh_token: grant.refreshToken, refresh_expires_in: grant.refreshExpiresIn }
  }

  async function login(req: FastifyRequest<Login>, reply: FastifyReply) {
    const { sessions, throttle } = builtIn()
    const { username, password } = req.body
    reply.header('cache-control', 'no-store')
    // Before the password is looked at, so a locked account costs no hash and answers alike known or not.
    try {
      await throttle.check(username)
    } catch (err) {
      await sessions.signInFailed(username, 'LOCKED', factsOf(req))
      throw err
    }
    let principal: AuthPrincipal
    if (safeEqual(username, admin.username)) {
      if (!safeEqual(password, admin.password)) return refuse(req, username)
      principal = { subject: username, role: 'ADMIN' }
    } else {
      let found: Principal__Output
      try {
        found = await clients.call('identity', 'Authenticate', { username, password })
      } catch (err) {
        if (isAppError(err) && (err.code === 'UNAUTHENTICATED' || err.code === 'NOT_FOUND')) return refuse(req, username)
        throw err
      }
      // Only after the password proved right, so it tells a guesser nothing.
      if (found.status === 'SUSPENDED') {
        await sessions.signInFailed(username, 'SUSPENDED', factsOf(req))
        throw new AppError('FORBIDDEN', 'This account is suspended')
      }
      principal = principalOfAccount(found)
    }
    await throttle.succeeded(username)
    const grant = await sessions.open({ ...principal, username }, factsOf(req))
    // A suspension ends the sessions open when it commits; one committed after the status above was
    // read but before this session opened would miss it. Read again now that it is open: either this
    // sees the suspension, or the suspension comes later and ends this session with the others.
    if (
      principal.role === 'CUSTOMER' &&
      (await clients.call('customer', 'GetCustomer', { id: principal.customerId! })).status === 'SUSPENDED'
    ) {
      await sessions.end(grant.sessionId, 'SUSPENDED', { ...factsOf(req), by: accountIdOf(principal) })
      throw new AppError('FORBIDDEN', 'This account is suspended')
    }
    return tokens(grant)
  }

  async function refuse(req: FastifyRequest, username: string): Promise<never> {
    const { sessions, throttle } = builtIn()
    await throttle.failed(username, (tx) => sessions.signInFailed(username, 'BAD_CREDENTIALS', factsOf(req), tx))
    // One answer for an unknown user and a wrong password, so accounts cannot be enumerated.
    throw new AppError('UNAUTHENTICATED', 'Invalid username or password')
  }

  async function refresh(req: FastifyRequest<Refresh>, reply: FastifyReply) {
    const { sessions } = builtIn()
    reply.header('cache-control', 'no-store')
    return tokens(await sessions.refresh(req.body.refresh_token, factsOf(req)))
  }

  async function logout(req: FastifyRequest, reply: FastifyReply) {
    const { sessions } = builtIn()
    const { sessionId } = principalOf(req)
    // Only built-in tokens reach here with a session (verification requires it of them).
    if (!sessionId) throw new AppError('NOT_FOUND', `Sign out at ${externalIssuerUrl}`)
    await sessions.end(sessionId, 'SIGNED_OUT', { ...factsOf(req), by: accountIdOf(principalOf(req)) })
    return reply.code(204).send()
  }

  async function changePassword(req: FastifyRequest<ChangePassword>, reply: FastifyReply) {
    const { sessions } = builtIn()
    await clients.call('identity', 'ChangePassword', {
      actor: actorOf(req),
      current_password: req.body.currentPassword,
      new_password: req.body.newPassword,
    })
    // Every session of the account ends, this one too: whoever knew the old password is out.
    await sessions.endAccount(principalOf(req), 'PASSWORD_CHANGED', { ...factsOf(req), by: accountIdOf(principalOf(req)) })
    return reply.code(204).send()
  }

  async function me(req: FastifyRequest) {
    const p = principalOf(req)
    return { subject: p.subject, role: p.role, customerId: p.customerId ?? null, brokerId: p.brokerId ?? null }
  }
}

const tokenJson = {
  type: 'object',
  additionalProperties: false,
  required: ['access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_expires_in'],
  properties: {
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer', description: 'Seconds the access token lives (at most 15 minutes)' },
    refresh_token: { type: 'string', description: 'Good for one POST /api/auth/refresh; using it twice ends the session' },
    refresh_expires_in: { type: 'integer', description: 'Seconds the refresh token lives' },
  },
} as const

const meJson = {
  type: 'object',
  additionalProperties: false,
  required: ['subject', 'role', 'customerId', 'brokerId'],
  properties: {
    subject: { type: 'string' },
    role: { type: 'string' },
    customerId: { type: ['string', 'null'] },
    brokerId: { type: ['string', 'null'] },
  },
} as const

/** Compares secrets in time independent of where they differ (or of their lengths). */
function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(h(a), h(b))
}

const noContent = responses(204, { type: 'null' }, 'Done')

const schemas = {
  login: {
    ...doc('auth', 'Sign in: the dev admin, or a customer or broker by email', { public: true }),
    body: body(
      {
        username: { type: 'string', minLength: 1, maxLength: 320 },
        password: { type: 'string', minLength: 1, maxLength: 1024 },
      },
      ['username', 'password'],
    ),
    response: responses(200, tokenJson, 'An access token and the refresh token of a new session'),
  },
  refresh: {
    ...doc('auth', 'Trade a refresh token for a new pair (each refresh token works once)', { public: true }),
    body: body({ refresh_token: { type: 'string', minLength: 1, maxLength: 512 } }, ['refresh_token']),
    response: responses(200, tokenJson, 'A new access token and the next refresh token'),
  },
  logout: {
    ...doc('auth', "Sign out: the session's access and refresh tokens stop working at once"),
    response: noContent,
  },
  password: {
    ...doc('auth', 'Change your password; every session of the account ends', { roles: SIGNED_IN }),
    body: body({ currentPassword: { type: 'string', minLength: 1, maxLength: 128 }, newPassword }, ['currentPassword', 'newPassword']),
    response: noContent,
  },
  me: { ...doc('auth', 'Who the bearer token says you are'), response: responses(200, meJson, 'The caller') },
}

function principalOfAccount(p: Principal__Output): AuthPrincipal {
  if (p.role === 'CUSTOMER') return { subject: p.subject, role: 'CUSTOMER', customerId: p.customer_id || p.subject }
  if (p.role === 'BROKER') return { subject: p.subject, role: 'BROKER', brokerId: p.broker_id || p.subject }
  // The customer service keeps customers and brokers only; anything else is not ours to sign.
  throw new AppError('INTERNAL', `identity service answered role ${p.role}`)
}
