import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '@brokerage/platform'
import { fingerprintOf, type IdempotencyStore } from '../idempotency.js'
import { principalKey, requestAuth } from '../request-context.js'

const IDEMPOTENCY_KEY = /^[\x20-\x7E]{1,255}$/
// Response headers a replay must repeat, besides status and body.
const REPLAYED_HEADERS = ['content-type', 'preference-applied', 'location']

/**
 * Stripe-style Idempotency-Key on POST: the first request with a key runs and its answer is
 * stored (preHandler claims the key after validation, onSend stores the answer); a retry
 * with the same key and body replays it, one with another body is refused, one while the
 * first still runs is told to retry. A 5xx answer releases the key, so a retry runs again.
 *
 * `versionPrefix` is the API version these routes are (/api/v1), whichever prefix serves them:
 * /api/orders and /api/v1/orders are one resource, so a retry through the other is the same request.
 */
export const idempotencyKeys = fp<{ store: IdempotencyStore; versionPrefix: string }>(
  async (api, { store, versionPrefix }) => {
    const canonicalUrl = (url: string) => (url.startsWith(`${api.prefix}/`) ? versionPrefix + url.slice(api.prefix.length) : url)
    // Callback-style with the keyless request passed on at once: most requests carry no key,
    // and an async hook would cost each of them a promise and a microtask.
    api.addHook('preHandler', (req, reply, done) => {
      const auth = requestAuth(req)
      const header = req.headers['idempotency-key']
      if (req.method !== 'POST' || !auth || header === undefined || req.routeOptions.config.idempotencyKey === false) return done()
      // As fastify runs an async hook: on to the next once settled (a replay has been sent by then).
      claim(req, reply, auth, header).then(
        () => done(),
        (err: Error) => done(err),
      )
    })

    async function claim(
      req: FastifyRequest,
      reply: FastifyReply,
      auth: NonNullable<ReturnType<typeof requestAuth>>,
      header: string | string[],
    ) {
      if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
        throw new AppError('VALIDATION_FAILED', 'Request validation failed', {
          details: [{ field: 'headers.idempotency-key', message: 'must be 1 to 255 printable ASCII characters, sent once' }],
        })
      }
      const owner = principalKey(auth.principal)
      const begun = await store.begin(owner, header, fingerprintOf(req.method, canonicalUrl(req.url), req.body))
      switch (begun.kind) {
        case 'started':
          auth.idempotency = { principal: owner, key: header }
          return
        case 'replay':
          return replay(reply, begun)
        case 'mismatch':
          throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request')
        case 'in-flight':
          throw new AppError('IDEMPOTENCY_IN_FLIGHT', 'A request with this Idempotency-Key is still being processed', {
            retryAfterSeconds: 1,
          })
      }
    }

    api.addHook('onSend', (req, reply, payload, done) => {
      const auth = requestAuth(req)
      const owned = auth?.idempotency
      if (!auth || !owned) return done(null, payload)
      auth.idempotency = undefined
      remember(req, reply, owned, payload).then(() => done(null, payload))
    })

    async function remember(req: FastifyRequest, reply: FastifyReply, owned: { principal: string; key: string }, payload: unknown) {
      try {
        if (reply.statusCode >= 500) await store.release(owned.principal, owned.key)
        else await store.complete(owned.principal, owned.key, reply.statusCode, bodyText(payload), replayedHeaders(reply))
      } catch (err) {
        // The response itself is fine; a retry will find the key in flight until it is abandoned.
        req.log.warn({ err }, 'could not store the idempotent response')
      }
    }
  },
  { name: 'idempotency-keys', dependencies: ['authentication'] },
)

function replay(reply: FastifyReply, stored: { status: number; body: string; headers: Record<string, string> }) {
  for (const [k, v] of Object.entries(stored.headers)) reply.header(k, v)
  reply.header('idempotent-replayed', 'true')
  return reply.code(stored.status).send(stored.body)
}

function replayedHeaders(reply: FastifyReply): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of REPLAYED_HEADERS) {
    const v = reply.getHeader(name)
    if (v !== undefined) out[name] = String(v)
  }
  return out
}

function bodyText(payload: unknown): string {
  if (typeof payload === 'string') return payload
  if (Buffer.isBuffer(payload)) return payload.toString('utf8')
  return payload === null || payload === undefined ? '' : JSON.stringify(payload)
}
