import websocket from '@fastify/websocket'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import type { RawData, WebSocket } from 'ws'
import { AppError, isAppError } from '@brokerage/platform'
import type { Access } from '../access.js'
import { API_VERSION } from '../api.js'
import { LIMITS, type RateLimiter } from '../rate-limit.js'
import { principalOf, setPrincipal } from '../request-context.js'
import { UUID_PATTERN } from '../schemas.js'
import { unauthenticated, type TokenVerifier } from '../tokens.js'
import type { LiveFeedReader } from './feed.js'
import { CLOSE, type Connection, type Hub } from './hub.js'
import { ALL, type ServerMessage } from './messages.js'

export interface LiveRouteDeps {
  hub: Hub
  /** Held by every socket, from before its upgrade is answered until its connection closes. */
  feed: Pick<LiveFeedReader, 'hold'>
  verify: TokenVerifier
  access: Access
  limiter: RateLimiter
  /** Largest client message, in bytes; a larger one closes the socket (1009). */
  maxClientMessageBytes: number
}

const uuidRe = new RegExp(UUID_PATTERN)
// setTimeout's ceiling: a longer-lived token is re-checked when it fires.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * GET /api/ws: the live feed. The bearer token is checked before the upgrade, from the
 * Authorization header or, for browsers (which cannot set headers on a WebSocket), the
 * `access_token` query parameter; a missing or refused token answers 401 in the API's
 * error shape and no socket is opened. An open socket is closed (1008) when its token expires or its session ends.
 */
export function liveRoutes(deps: LiveRouteDeps): FastifyPluginAsync {
  const { hub, feed, verify, access, limiter } = deps
  const tokens = new WeakMap<FastifyRequest, string>()

  return async (app) => {
    await app.register(websocket, {
      options: { maxPayload: deps.maxClientMessageBytes },
      preClose: (done) => {
        hub.closeAll()
        app.websocketServer.close(() => done())
      },
    })

    app.addHook('onRequest', async (req, reply) => {
      try {
        const token = tokenOf(req)
        setPrincipal(req, await verify(token))
        tokens.set(req, token)
      } catch (err) {
        // Refusals count against the caller's address, so tokens cannot be guessed at full speed.
        const decision = await limiter.take(`ip:${req.ip}`, LIMITS.ANONYMOUS)
        if (!decision.allowed) {
          throw new AppError('RATE_LIMITED', `Rate limit of ${decision.limit} requests a minute exceeded`, {
            retryAfterSeconds: decision.retryAfterSeconds,
          })
        }
        if (isAppError(err) && err.code === 'UNAUTHENTICATED') reply.header('www-authenticate', `Bearer error="invalid_token"`)
        throw err
      }
    })

    // Under /api: the versioned path is the documented one; /api/ws is the alias of the current version, hidden.
    for (const [url, hide] of [
      [`/${API_VERSION}/ws`, false],
      ['/ws', true],
    ] as const)
      app.route({
        method: 'GET',
        url,
        schema: { ...schema, ...(hide ? { hide } : {}) },
        // With `wsHandler` (not `websocket: true`, which answers a plain GET with a bare 404 and
        // hides the route from OpenAPI) a GET without an upgrade is told what to send, in the API's error shape.
        handler: async () => {
          throw new AppError('VALIDATION_FAILED', 'This is the live feed: open it as a WebSocket (Upgrade: websocket)', {
            details: [{ field: 'upgrade', message: 'must be websocket' }],
          })
        },
        preHandler: holdFeed,
        wsHandler: (socket, req) => onSocket(socket, req),
      })
  }

  /**
   * An upgrade waits until the bus consumer reads (the first socket starts it), so that whatever
   * happens once the socket is open reaches it; one that cannot start it is refused (503).
   * The hold ends with the connection, which also covers an upgrade that never completes.
   */
  async function holdFeed(req: FastifyRequest): Promise<void> {
    if (!req.ws) return
    let release: () => void
    try {
      release = await feed.hold()
    } catch (err) {
      req.log.error({ err }, 'the live feed could not start reading the bus')
      throw new AppError('UNAVAILABLE', 'The live feed is unavailable; try again later', { cause: err, retryAfterSeconds: 5 })
    }
    if (req.socket.destroyed) return release()
    req.socket.once('close', release)
  }

  function onSocket(socket: WebSocket, req: FastifyRequest): void {
    const principal = principalOf(req)
    const conn = hub.open(socket, principal)
    // Handled one at a time, so answers keep the order of the requests.
    let queue = Promise.resolve()
    socket.on('message', (data, isBinary) => {
      queue = queue.then(() => onMessage(conn, data, isBinary)).catch((err: unknown) => req.log.warn({ err }, 'live message failed'))
    })
    socket.on('pong', () => (conn.alive = true))
    socket.on('error', (err) => req.log.debug({ err }, 'live socket error'))
    const token = tokens.get(req)!
    const expiry = expiryTimer(socket, token)
    // A session that ended between the check before the upgrade and hub.open() was told to
    // the hub before this socket was in it: check once more now that it is.
    if (principal.sessionId) {
      verify(token).catch((err: unknown) => {
        if (isAppError(err) && err.code === 'UNAUTHENTICATED') hub.sessionEnded(principal.sessionId!)
        else req.log.warn({ err }, 'live socket: re-checking its session failed')
      })
    }
    socket.on('close', () => {
      clearTimeout(expiry)
      hub.closed(conn)
    })
    if (principal.role === 'CUSTOMER') hub.subscribe(conn, principal.customerId!)
    hub.reply(conn, {
      type: 'ready',
      role: principal.role,
      ...(principal.customerId ? { customerId: principal.customerId } : {}),
      subscriptions: [...conn.customers],
    })
  }

  async function onMessage(conn: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const request = isBinary ? undefined : parse(data)
    const refuse = (code: string, message: string) => hub.reply(conn, { type: 'error', code, message, ...(request ? { request } : {}) })
    if (!request || (request.type !== 'subscribe' && request.type !== 'unsubscribe') || typeof request.customerId !== 'string') {
      return refuse('BAD_MESSAGE', 'Expected JSON {"type":"subscribe"|"unsubscribe","customerId":"<uuid>"|"*"}')
    }
    const customerId = request.customerId.toLowerCase()
    if (customerId !== ALL && !uuidRe.test(customerId)) return refuse('BAD_MESSAGE', 'customerId must be a UUID or "*"')
    if (request.type === 'unsubscribe') {
      hub.unsubscribe(conn, customerId)
      return hub.reply(conn, { type: 'unsubscribed', customerId })
    }
    const p = conn.principal
    try {
      if (customerId === ALL) {
        if (p.role === 'CUSTOMER') return refuse('FORBIDDEN', 'CUSTOMER may not subscribe to every customer')
        hub.subscribe(conn, ALL)
        // A broker's `*` is their customers as assigned now; BrokerAssigned events keep it current.
        if (p.role === 'BROKER') for (const id of await access.brokerCustomerIds(p.brokerId!)) hub.subscribe(conn, id)
      } else {
        // The REST API's rule: one's own, a broker's assigned, anyone for an admin; else NOT_FOUND.
        await access.customer(p, customerId)
        hub.subscribe(conn, customerId)
      }
    } catch (err) {
      if (isAppError(err)) return refuse(err.code, err.message)
      throw err
    }
    hub.reply(conn, { type: 'subscribed', customerId } satisfies ServerMessage)
  }
}

function tokenOf(req: FastifyRequest): string {
  const h = req.headers.authorization
  if (typeof h === 'string') {
    const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(h.trim())
    if (!m) throw unauthenticated('A bearer token is required')
    return m[1]!
  }
  const q = (req.query as { access_token?: unknown }).access_token
  if (typeof q === 'string' && q !== '') return q
  throw unauthenticated('A bearer token is required (Authorization header or access_token query parameter)')
}

/** Closes the socket (1008) when its token expires: a socket outliving its token would outlive a sign-out or a role change. */
function expiryTimer(socket: WebSocket, token: string): NodeJS.Timeout {
  const exp = Number(decodeJwt(token).exp) * 1000
  const timer = setTimeout(
    () => {
      if (Date.now() >= exp) socket.close(CLOSE.POLICY, 'token expired')
      else expiryTimer(socket, token)
    },
    Math.min(Math.max(exp - Date.now(), 0), MAX_TIMER_MS),
  )
  timer.unref()
  return timer
}

function parse(data: RawData): Record<string, unknown> | undefined {
  try {
    // ws hands text frames over as one Buffer (binaryType 'nodebuffer', fragments joined).
    if (!Buffer.isBuffer(data)) return undefined
    const v: unknown = JSON.parse(data.toString('utf8'))
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

const schema = {
  tags: ['live'],
  summary: 'Live feed over WebSocket (any signed-in user)',
  description: [
    'Upgrade to a WebSocket. The token goes in the Authorization header or, from a browser, in `access_token`;',
    'without a valid one the upgrade answers 401 and no socket opens (503 if the gateway cannot read the bus for it). Server messages are JSON:',
    '`{type:"event", category:"order"|"trade"|"balance"|"notification", customerId, event, eventId, occurredAt, status?, data}`,',
    '`ready`, `subscribed`, `unsubscribed`, `error`. A customer is subscribed to themselves on connect; staff send',
    '`{"type":"subscribe","customerId":"<uuid>"}` (a broker: their assigned customers; an admin: anyone) or `"*"` for all.',
    'Close codes: 1008 token expired or session ended (sign-out, revocation), 1009 client message over 4 KiB, 1013 slow consumer (send buffer full), 1001 gateway stopping.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  querystring: {
    type: 'object',
    properties: { access_token: { type: 'string', description: 'The bearer token, for clients that cannot set headers' } },
  },
} as const
