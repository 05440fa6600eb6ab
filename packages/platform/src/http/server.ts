import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import type { Context, Span } from '@opentelemetry/api'
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_HTTP_ROUTE, ATTR_URL_PATH } from '../observability/semconv.js'
import { fastify, LogController } from 'fastify'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withLogScope } from '../observability/log.js'
import type { LogFields, Logger } from '../observability/log.js'
import type { Metrics } from '../observability/metrics.js'
import { contextFromTraceparent } from '../observability/tracing.js'
import { toErrorReply } from './error-reply.js'
import type { ErrorBody } from './error-reply.js'
import { requestIdFrom } from './request-id.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Probes and scrapes: no span and no request log line (they would drown real
     * traffic); still counted in the request metrics.
     */
    quiet?: boolean
  }
}

export interface HttpServerOptions {
  log: Logger
  metrics: Metrics
  service: string
  /** Largest accepted request body in bytes (1 MiB unless set). */
  bodyLimit?: number
}

interface RequestState {
  span: Span | undefined
  otel: Context
  /** The live log scope of this request; hooks re-enter this same object. */
  scope: LogFields
  ended: boolean
}

// Label for requests no route matched, so scanners cannot mint one series per path.
const UNMATCHED_ROUTE = '(unmatched)'

/**
 * The HTTP server every service builds on, returned unstarted so tests use `inject()`.
 * Each request gets a validated X-Request-Id (echoed back), a server span continuing an
 * incoming `traceparent`, request metrics, a log scope, and errors in the one JSON shape.
 */
export function createHttpServer(opts: HttpServerOptions) {
  const { log, metrics, service } = opts
  const tracer = trace.getTracer(service)
  const states = new WeakMap<FastifyRequest, RequestState>()

  const app = fastify({
    loggerInstance: log,
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id']),
    // One line per request, written in onResponse with the route and duration. (Through a
    // LogController: the top-level disableRequestLogging option is deprecated, FSTDEP023.)
    logController: new LogController({ disableRequestLogging: true }),
    // request.log needs no reqId binding: the log scope's mixin adds requestId, and
    // binding it too would write the key twice. With no route-level level or serializers
    // a child would be the logger itself, made anew for every request: the logger is used.
    childLoggerFactory: (logger, _bindings, childOpts) =>
      childOpts.level === undefined && childOpts.serializers === undefined ? logger : logger.child({}, childOpts),
    // Report every invalid field at once, not just the first.
    ajv: { customOptions: { allErrors: true } },
    // What fastify refuses before routing (a malformed percent-encoding in the path) in the API's
    // error shape too, not fastify's own.
    frameworkErrors: (err, req, reply) => {
      const mapped = toErrorReply(err)
      return sendError(reply, req, mapped.status, mapped.error)
    },
  })

  /**
   * Runs fn inside the request's log scope and trace context. Fastify 5 carries
   * onRequest's async context through body parsing, but onResponse runs from the socket's
   * 'finish' event and a custom content-type parser or callback-style plugin can drop the
   * context, so the hooks that log re-enter explicitly instead of relying on it.
   */
  function enter<T>(req: FastifyRequest, fn: () => T): T {
    const st = states.get(req)
    if (!st) return fn()
    return withLogScope(st.scope, () => context.with(st.otel, fn))
  }

  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id)
    const parent = contextFromTraceparent(headerValue(req.headers['traceparent']), headerValue(req.headers['tracestate']))
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE
    const span = req.routeOptions.config.quiet
      ? undefined
      : tracer.startSpan(
          `${req.method} ${route}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              [ATTR_HTTP_REQUEST_METHOD]: req.method,
              [ATTR_HTTP_ROUTE]: route,
              // The path only: query strings may carry personal data.
              [ATTR_URL_PATH]: req.url.split('?', 1)[0] ?? '',
            },
          },
          parent,
        )
    const otel = span ? trace.setSpan(parent, span) : parent
    states.set(req, { span, otel, scope: { requestId: req.id }, ended: false })
    enter(req, done)
  })

  app.addHook('preHandler', (req, _reply, done) => enter(req, done))

  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? UNMATCHED_ROUTE
    const status = reply.statusCode
    metrics.httpRequestDuration.observe({ method: req.method, route, status }, reply.elapsedTime / 1000)
    const st = states.get(req)
    if (st && !req.routeOptions.config.quiet) {
      enter(req, () =>
        log[status >= 500 ? 'warn' : 'info'](
          { method: req.method, route, status, durationMs: Math.round(reply.elapsedTime * 10) / 10 },
          'request completed',
        ),
      )
    }
    if (st) endSpan(st, status)
    done()
  })

  app.addHook('onRequestAbort', (req, done) => {
    const st = states.get(req)
    if (st?.span && !st.ended) {
      st.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client aborted the request' })
      endSpan(st, undefined)
    }
    done()
  })

  app.setErrorHandler((err, req, reply) => {
    const mapped = toErrorReply(err)
    enter(req, () => {
      if (mapped.unexpected) log.error({ err }, 'request failed')
      states.get(req)?.span?.recordException(err instanceof Error ? err : String(err))
    })
    if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.ceil(mapped.retryAfterSeconds)))
    return sendError(reply, req, mapped.status, mapped.error)
  })

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, req, 404, { code: 'NOT_FOUND', message: `Route ${req.method} ${req.url.split('?', 1)[0]} not found` }),
  )

  return app
}

export type HttpServer = ReturnType<typeof createHttpServer>

function sendError(reply: FastifyReply, req: FastifyRequest, status: number, error: ErrorBody['error']): FastifyReply {
  const body: ErrorBody = { error, requestId: req.id }
  return reply.code(status).type('application/json; charset=utf-8').send(body)
}

function endSpan(st: RequestState, status: number | undefined): void {
  if (!st.span || st.ended) return
  st.ended = true
  if (status !== undefined) {
    st.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status)
    // Server spans: a 4xx is the client's mistake, not a failure of this service.
    if (status >= 500) st.span.setStatus({ code: SpanStatusCode.ERROR })
  }
  st.span.end()
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}
