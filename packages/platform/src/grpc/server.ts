import * as grpc from '@grpc/grpc-js'
import type { GrpcHandlerRequest, GrpcHandlerResponse, GrpcMethod, GrpcServiceName } from '@brokerage/contracts/grpc'
import { randomUUID } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import type { PeerCertificate, TLSSocket } from 'node:tls'
import { AppError, isAppError } from '../errors.js'
import type { Logger } from '../observability/log.js'
import { withLogContext } from '../observability/log.js'
import { inSpan, SpanKind, withTraceparent } from '../observability/tracing.js'
import type { Metrics } from '../observability/metrics.js'
import type { GrpcService } from './load.js'
import { certificateNames, serverCredentials, type GrpcTlsSetting } from './tls.js'

export interface CallContext {
  requestId: string
  metadata: grpc.Metadata
}

/**
 * Every method of a service, typed by the generated types: the request as the server
 * receives it (`Xxx__Output`: defaults filled in, enums as names, int64 as numbers), the answer as it may be sent.
 */
export type GrpcHandlers<S extends GrpcServiceName> = {
  [M in GrpcMethod<S>]: (request: GrpcHandlerRequest<S, M>, ctx: CallContext) => Promise<GrpcHandlerResponse<S, M>>
}

export const ERROR_CODE_KEY = 'error-code'
export const ERROR_DETAILS_KEY = 'error-details-bin'
export const RETRY_AFTER_KEY = 'retry-after'

/** Turns an error into a gRPC status carrying the stable code (and details) in trailers. */
export function toServiceError(err: unknown, log: Logger): grpc.ServiceError {
  const app = isAppError(err) ? err : new AppError('INTERNAL', 'internal error', { cause: err })
  if (!isAppError(err)) log.error({ err }, 'unexpected error in gRPC handler')
  const metadata = new grpc.Metadata()
  metadata.set(ERROR_CODE_KEY, app.code)
  if (app.details !== undefined) metadata.set(ERROR_DETAILS_KEY, Buffer.from(JSON.stringify(app.details)))
  if (app.retryAfterSeconds !== undefined) metadata.set(RETRY_AFTER_KEY, String(app.retryAfterSeconds))
  return Object.assign(new Error(app.message), { code: app.grpcStatus, details: app.message, metadata }) as grpc.ServiceError
}

export interface GrpcServerOptions {
  log: Logger
  metrics?: Metrics
  /** Mutual TLS (or 'off', plaintext); listen() refuses to start without one or the other. */
  tls?: GrpcTlsSetting
}

/**
 * A gRPC server whose handlers are plain async functions: the request id and trace
 * context arrive in metadata and become the handler's log context and parent span;
 * an AppError becomes a status with the stable code in the `error-code` trailer.
 */
export function createGrpcServer(opts: GrpcServerOptions) {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 4 * 1024 * 1024 })
  const tls = opts.tls
  const allowed = tls && tls !== 'off' && tls.allowedCallers ? new Set(tls.allowedCallers) : undefined
  const handshakeFailures = opts.metrics?.counter(
    'grpc_tls_handshake_failures_total',
    'TLS handshakes this gRPC server refused (no client certificate, another CA, expired, plaintext)',
  )
  const refusedCallers = opts.metrics?.counter(
    'grpc_callers_refused_total',
    'Calls refused because the caller certificate names a service not allowed to call this one',
    ['caller'],
  )

  const watched = new WeakSet<EventEmitter>()
  // One entry per connection: see onceReadPeerCertificate.
  const namesOf = new WeakMap<PeerCertificate, string[]>()

  /** Refuses a caller whose certificate names no service allowed to call this one: the error, or null when admitted. */
  function refusal(call: grpc.ServerUnaryCall<unknown, unknown>, service: string): grpc.ServiceError | null {
    if (!allowed) return null
    const cert = call.getAuthContext()?.sslPeerCertificate
    let names = cert && namesOf.get(cert)
    if (!names) {
      names = certificateNames(cert)
      if (cert) namesOf.set(cert, names)
    }
    if (names.some((n) => allowed.has(n))) return null
    refusedCallers?.inc({ caller: names[0] ?? 'unknown' })
    return toServiceError(new AppError('FORBIDDEN', `${names[0] ?? 'this caller'} may not call ${service}`), opts.log)
  }

  /** Serves a service, grpcService('order'), with handlers checked against its generated types. */
  function addService<S extends GrpcServiceName>(service: GrpcService<S>, impl: GrpcHandlers<S>): void {
    const definition = service.service as grpc.ServiceDefinition
    // Past the type check, one loop serves every method alike.
    const untyped = impl as unknown as Record<string, (request: unknown, ctx: CallContext) => Promise<unknown>>
    const handlers: grpc.UntypedServiceImplementation = {}
    for (const [name, method] of Object.entries(definition)) {
      const fn = untyped[name] ?? untyped[method.originalName ?? name]
      if (!fn) throw new Error(`gRPC method ${method.path} has no implementation`)
      handlers[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const refused = refusal(call, service.name)
        if (refused) return callback(refused)
        const requestId = String(call.metadata.get('x-request-id')[0] ?? randomUUID())
        const traceparent = call.metadata.get('traceparent')[0]
        const started = process.hrtime.bigint()
        withTraceparent(typeof traceparent === 'string' ? traceparent : null, () =>
          withLogContext({ requestId }, () =>
            inSpan(
              method.path,
              { 'rpc.system': 'grpc', 'rpc.method': name },
              () => fn(call.request, { requestId, metadata: call.metadata }),
              {
                kind: SpanKind.SERVER,
              },
            ),
          ),
        ).then(
          (res) => {
            observe('OK')
            callback(null, res)
          },
          (err: unknown) => {
            const se = toServiceError(err, opts.log)
            observe(String(se.code))
            callback(se)
          },
        )
        function observe(code: string) {
          opts.metrics?.grpcRequestDuration?.observe({ method: method.path, code }, Number(process.hrtime.bigint() - started) / 1e9)
        }
      }
    }
    server.addService(definition, handlers)
  }

  return {
    server,
    addService,
    async listen(port: number, host = '127.0.0.1'): Promise<number> {
      if (!tls) throw new Error('gRPC needs TLS settings (GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY), or GRPC_TLS=off for plaintext')
      const bound = await new Promise<number>((resolve, reject) =>
        server.bindAsync(`${host}:${port}`, serverCredentials(tls), (err, p) => (err ? reject(err) : resolve(p))),
      )
      // grpc-js keeps its TLS servers to itself; their refused handshakes are only visible on them.
      const internal = (server as unknown as { http2Servers?: Map<EventEmitter, unknown> }).http2Servers
      for (const s of internal?.keys() ?? []) {
        if (watched.has(s)) continue
        watched.add(s)
        if (allowed) s.on('secureConnection', onceReadPeerCertificate)
        s.on('tlsClientError', (err: Error) => {
          handshakeFailures?.inc()
          opts.log.warn({ err: { message: err.message, code: (err as NodeJS.ErrnoException).code } }, 'gRPC TLS handshake refused')
        })
      }
      return bound
    },
    /** Stops accepting calls and lets the calls in flight finish (forced after graceMs). */
    stop(graceMs = 5000): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown()
          resolve()
        }, graceMs)
        server.tryShutdown(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}

export type GrpcServer = ReturnType<typeof createGrpcServer>

/**
 * grpc-js reads the peer certificate on every call (getAuthContext), and Node builds it anew each
 * time, hashing it for three fingerprints: 2.4 % of the order service's CPU under load. A
 * connection's certificate cannot change (HTTP/2 sessions disable TLS renegotiation, TLS 1.3 has
 * none), so it is read once per connection; the caller check then finds its names by that object.
 */
function onceReadPeerCertificate(socket: TLSSocket): void {
  const read = socket.getPeerCertificate.bind(socket)
  let cert: PeerCertificate | undefined
  socket.getPeerCertificate = ((detailed?: boolean) => (detailed ? read(true) : (cert ??= read(false)))) as TLSSocket['getPeerCertificate']
}
