import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, isAppError } from '@brokerage/platform'
import type { Principal__Output } from '@brokerage/contracts/grpc'
import { principalOf } from '../request-context.js'
import { body, responses } from '../schemas.js'
import type { AuthPrincipal } from '../tokens.js'
import { doc, type RouteDeps } from './deps.js'

type Login = { Body: { username: string; password: string } }

export function authRoutes({ clients, issuer, externalIssuerUrl, admin }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.post<Login>('/auth/login', { config: { public: true }, schema: schemas.login }, login)
    api.get('/auth/me', { schema: schemas.me }, me)
  }

  async function login(req: FastifyRequest<Login>, reply: FastifyReply) {
    if (!issuer) throw new AppError('NOT_FOUND', `Built-in sign-in is off: obtain a token from ${externalIssuerUrl}`)
    const { username, password } = req.body
    reply.header('cache-control', 'no-store')
    if (safeEqual(username, admin.username)) {
      if (!safeEqual(password, admin.password)) throw badCredentials()
      return issuer.issue({ subject: username, role: 'ADMIN', username })
    }
    let found: Principal__Output
    try {
      found = await clients.call('identity', 'Authenticate', { username, password })
    } catch (err) {
      if (isAppError(err) && (err.code === 'UNAUTHENTICATED' || err.code === 'NOT_FOUND')) throw badCredentials()
      throw err
    }
    return issuer.issue({ ...principalOfAccount(found), username })
  }

  async function me(req: FastifyRequest) {
    const p = principalOf(req)
    return { subject: p.subject, role: p.role, customerId: p.customerId ?? null, brokerId: p.brokerId ?? null }
  }
}

const tokenJson = {
  type: 'object',
  additionalProperties: false,
  required: ['access_token', 'token_type', 'expires_in'],
  properties: { access_token: { type: 'string' }, token_type: { type: 'string' }, expires_in: { type: 'integer' } },
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

// One answer for an unknown user and a wrong password, so accounts cannot be enumerated.
const badCredentials = () => new AppError('UNAUTHENTICATED', 'Invalid username or password')

/** Compares secrets in time independent of where they differ (or of their lengths). */
function safeEqual(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(h(a), h(b))
}

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
    response: responses(200, tokenJson, 'A bearer token'),
  },
  me: { ...doc('auth', 'Who the bearer token says you are'), response: responses(200, meJson, 'The caller') },
}

function principalOfAccount(p: Principal__Output): AuthPrincipal {
  if (p.role === 'CUSTOMER') return { subject: p.subject, role: 'CUSTOMER', customerId: p.customer_id || p.subject }
  if (p.role === 'BROKER') return { subject: p.subject, role: 'BROKER', brokerId: p.broker_id || p.subject }
  // The customer service keeps customers and brokers only; anything else is not ours to sign.
  throw new AppError('INTERNAL', `identity service answered role ${p.role}`)
}
