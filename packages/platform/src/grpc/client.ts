import * as grpc from '@grpc/grpc-js'
import type { GrpcMethod, GrpcRequest, GrpcResponse, GrpcServiceName } from '@brokerage/contracts/grpc'
import { AppError, isErrorCode, type ErrorCode } from '../errors.js'
import { logContext } from '../observability/log.js'
import { currentTraceparent } from '../observability/tracing.js'
import type { GrpcService } from './load.js'
import { ERROR_CODE_KEY, ERROR_DETAILS_KEY, RETRY_AFTER_KEY } from './server.js'
import { channelCredentials, type GrpcTlsSetting } from './tls.js'

export interface CallOptions {
  deadlineMs?: number
  requestId?: string
}

/** Maps a gRPC failure back to the AppError the server raised (same code, message, details). */
export function fromServiceError(err: grpc.ServiceError, service: string): AppError {
  const code = err.metadata?.get(ERROR_CODE_KEY)[0]
  if (isErrorCode(code)) {
    const raw = err.metadata.get(ERROR_DETAILS_KEY)[0]
    const details = raw ? JSON.parse(Buffer.isBuffer(raw) ? raw.toString() : String(raw)) : undefined
    const retry = err.metadata.get(RETRY_AFTER_KEY)[0]
    return new AppError(code as ErrorCode, err.details || err.message, { details, retryAfterSeconds: retry ? Number(retry) : undefined })
  }
  if (err.code === grpc.status.UNAVAILABLE)
    return new AppError('UNAVAILABLE', `${service} is unavailable`, { cause: err, retryAfterSeconds: 1 })
  if (err.code === grpc.status.DEADLINE_EXCEEDED) return new AppError('TIMEOUT', `${service} did not answer in time`, { cause: err })
  return new AppError('INTERNAL', `${service} failed`, { cause: err })
}

/** A client of one service, typed by the generated types: a wrong method name or request field does not compile. */
export interface ServiceClient<S extends GrpcServiceName> {
  /** Carries the current request id and trace context in metadata and rethrows the server's AppError. */
  call<M extends GrpcMethod<S>>(method: M, request: GrpcRequest<S, M>, opts?: CallOptions): Promise<GrpcResponse<S, M>>
  close(): void
}

export interface GrpcClientOptions {
  /** The caller's certificate and the platform CA (or 'off', plaintext); none given refuses to build the client. */
  tls: GrpcTlsSetting | undefined
  /**
   * The service's name as the platform knows it: errors name it ("order-processor is unavailable")
   * and its certificate must carry it. Defaults to the proto service's name.
   */
  label?: string
}

/**
 * A promise-based client for one service: `call(method, request)` carries the current
 * request id and trace context in metadata and rethrows the server's AppError.
 */
export function createGrpcClient<S extends GrpcServiceName>(
  service: GrpcService<S>,
  address: string,
  opts: GrpcClientOptions,
): ServiceClient<S> {
  const name = opts.label ?? service.name
  if (!opts.tls) throw new Error(`no TLS settings to call ${name} (GRPC_TLS_CA, GRPC_TLS_CERT, GRPC_TLS_KEY, or GRPC_TLS=off)`)
  const { credentials, options } = channelCredentials(opts.tls, name)
  const client = new service.Client(address, credentials, options) as grpc.Client & Record<string, unknown>
  return {
    call<M extends GrpcMethod<S>>(method: M, request: GrpcRequest<S, M>, opts: CallOptions = {}): Promise<GrpcResponse<S, M>> {
      type Res = GrpcResponse<S, M>
      const fn = client[method] as
        | ((req: GrpcRequest<S, M>, md: grpc.Metadata, o: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Res) => void) => void)
        | undefined
      if (typeof fn !== 'function') return Promise.reject(new Error(`${name} has no method ${method}`))
      const md = new grpc.Metadata()
      const requestId = opts.requestId ?? logContext().requestId
      if (requestId) md.set('x-request-id', String(requestId))
      const tp = currentTraceparent()
      if (tp) md.set('traceparent', tp)
      return new Promise((resolve, reject) =>
        fn.call(client, request, md, { deadline: Date.now() + (opts.deadlineMs ?? 10_000) }, (err, res) =>
          err ? reject(fromServiceError(err, name)) : resolve(res),
        ),
      )
    },
    close: () => client.close(),
  }
}
