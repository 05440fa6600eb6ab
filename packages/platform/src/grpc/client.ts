import * as grpc from '@grpc/grpc-js'
import type { GrpcMethod, GrpcRequest, GrpcResponse, GrpcServiceName } from '@brokerage/contracts/grpc'
import { AppError, isErrorCode, type ErrorCode } from '../errors.js'
import { logContext } from '../observability/log.js'
import { currentTraceparent } from '../observability/tracing.js'
import type { GrpcService } from './load.js'
import { ERROR_CODE_KEY, ERROR_DETAILS_KEY, RETRY_AFTER_KEY } from './server.js'

export type ClientCtor = new (address: string, credentials: grpc.ChannelCredentials, options?: object) => grpc.Client

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

/** @deprecated Typed by strings: use ServiceClient, from createGrpcClient(grpcService('order'), address). */
export interface GrpcClient {
  call<Res = unknown, Req = unknown>(method: string, request: Req, opts?: CallOptions): Promise<Res>
  close(): void
}

/**
 * A promise-based client for one service: `call(method, request)` carries the current
 * request id and trace context in metadata and rethrows the server's AppError.
 * `label` names the service in errors ("order is unavailable"); it defaults to the service's name.
 */
export function createGrpcClient<S extends GrpcServiceName>(service: GrpcService<S>, address: string, label?: string): ServiceClient<S>
/** @deprecated Pass grpcService('order') instead of a constructor: the client is then typed by the protos. */
export function createGrpcClient(ctor: ClientCtor, address: string, label: string): GrpcClient
export function createGrpcClient(target: ClientCtor | GrpcService<GrpcServiceName>, address: string, label?: string): GrpcClient {
  const ctor = typeof target === 'function' ? target : target.Client
  const name = label ?? target.name
  const client = new ctor(address, grpc.credentials.createInsecure()) as grpc.Client & Record<string, unknown>
  return {
    call<Res = unknown, Req = unknown>(method: string, request: Req, opts: CallOptions = {}): Promise<Res> {
      const fn = client[method] as
        ((req: Req, md: grpc.Metadata, o: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res: Res) => void) => void) | undefined
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

/** Finds a service constructor by its full name (`brokerage.order.v1.OrderService`) in a loaded package. */
export function serviceFromPackage(pkg: grpc.GrpcObject, fullName: string): ClientCtor & { service: grpc.ServiceDefinition } {
  let node: unknown = pkg
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)?.[part]
  if (typeof node !== 'function' || !('service' in node)) throw new Error(`no gRPC service ${fullName}`)
  return node as ClientCtor & { service: grpc.ServiceDefinition }
}
