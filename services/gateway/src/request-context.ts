import type { FastifyRequest } from 'fastify'
import { AppError, currentTraceparent } from '@brokerage/platform'
import type { Actor } from '@brokerage/contracts/grpc'
import { downstreamKey } from './idempotency.js'
import type { AuthPrincipal, Role } from './tokens.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No token needed (sign-in). */
    public?: boolean
    /** Roles allowed to call the route at all; others get 403. Unset: any signed-in user. */
    roles?: readonly Role[]
    /**
     * false: an Idempotency-Key is not honoured (the request runs each time). For what acts on
     * the caller's session rather than their account: sign-out, whose replay to another session
     * of the account would answer 204 and leave that session open.
     */
    idempotencyKey?: false
  }
}

interface RequestAuth {
  principal: AuthPrincipal
  /** Set while this request owns an idempotency key, until its response is stored. */
  idempotency?: { principal: string; key: string }
}

// Per-request state without decorating fastify's request type.
const auth = new WeakMap<FastifyRequest, RequestAuth>()

export function setPrincipal(req: FastifyRequest, principal: AuthPrincipal): void {
  auth.set(req, { principal })
}

export function requestAuth(req: FastifyRequest): RequestAuth | undefined {
  return auth.get(req)
}

export function principalOf(req: FastifyRequest): AuthPrincipal {
  const a = auth.get(req)
  // Routes are authenticated unless marked public; a public route asking is a bug.
  if (!a) throw new Error(`no principal on ${req.method} ${req.url}`)
  return a.principal
}

/**
 * The id services know the caller by: a customer's or broker's id, the admin's subject. An
 * external provider's `sub` is none of these, so it never reaches a service.
 */
export function accountIdOf(p: AuthPrincipal): string {
  if (p.role === 'CUSTOMER') return p.customerId!
  if (p.role === 'BROKER') return p.brokerId!
  return p.subject
}

/** Rate limits and idempotency keys belong to this string (one account, whichever token it signed in with). */
export function principalKey(p: AuthPrincipal): string {
  return `${p.role}:${accountIdOf(p)}`
}

/** The caller as services record it and check it (ownership, audit, requestedBy, correlation id). */
export function actorOf(req: FastifyRequest): Actor {
  const p = principalOf(req)
  return { subject: accountIdOf(p), role: p.role, request_id: req.id, traceparent: currentTraceparent() ?? '' }
}

/** The idempotency key handed to the service ("" when the client sent none). */
export function idempotencyKeyOf(req: FastifyRequest): string {
  const key = req.headers['idempotency-key']
  return downstreamKey(principalKey(principalOf(req)), typeof key === 'string' ? key : undefined)
}

export function badField(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', 'Request validation failed', { details: [{ field, message }] })
}

export function forbidden(message: string): AppError {
  return new AppError('FORBIDDEN', message)
}
