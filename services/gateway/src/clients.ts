import type { GrpcMethod, GrpcRequest, GrpcResponse, GrpcServiceName } from '@brokerage/contracts/grpc'
import { AppError, createGrpcClient, grpcService, type CallOptions, type ServiceClient } from '@brokerage/platform'

export type ServiceName = GrpcServiceName

/** host:port of each service's gRPC API; a missing one makes its routes answer 503. */
export interface ServiceAddresses {
  customer?: string
  asset?: string
  order?: string
  processor?: string
  notification?: string
  audit?: string
}

/** Which address serves each service: identity is served by the process that keeps the credentials, the customer service. */
const HOST: Record<ServiceName, keyof ServiceAddresses> = {
  customer: 'customer',
  identity: 'customer',
  asset: 'asset',
  order: 'order',
  processor: 'processor',
  notification: 'notification',
  audit: 'audit',
}

/** How errors name each service ("order-processor is unavailable"). */
const LABEL: Partial<Record<ServiceName, string>> = { identity: 'customer', processor: 'order-processor' }

/**
 * One lazily created client per service, typed by the protos: a wrong method name or request
 * field does not compile. `call` rethrows the service's own AppError, so its code
 * (NOT_FOUND, CONFLICT, …) reaches the HTTP client unchanged.
 */
export function createClients(addresses: ServiceAddresses) {
  const clients = new Map<ServiceName, ServiceClient<ServiceName>>()

  function client<S extends ServiceName>(name: S): ServiceClient<S> {
    const existing = clients.get(name)
    if (existing) return existing as unknown as ServiceClient<S>
    const label = LABEL[name] ?? name
    const address = addresses[HOST[name]]
    if (!address) throw new AppError('UNAVAILABLE', `The ${label} service is not configured`)
    const created = createGrpcClient(grpcService(name), address, label)
    clients.set(name, created as unknown as ServiceClient<ServiceName>)
    return created
  }

  return {
    call<S extends ServiceName, M extends GrpcMethod<S>>(
      service: S,
      method: M,
      request: GrpcRequest<S, M>,
      opts: Pick<CallOptions, 'deadlineMs'> = {},
    ): Promise<GrpcResponse<S, M>> {
      return client(service).call(method, request, opts)
    },
    close() {
      for (const c of clients.values()) c.close()
      clients.clear()
    },
  }
}

export type Clients = ReturnType<typeof createClients>
