import { AppError, createGrpcClient, grpcService, type GrpcClient } from '@brokerage/platform'

/** host:port of each service's gRPC API; a missing one makes its routes answer 503. */
export interface ServiceAddresses {
  customer?: string
  asset?: string
  order?: string
  processor?: string
  notification?: string
  audit?: string
}

const SERVICES = {
  customer: { proto: 'customer', fullName: 'brokerage.customer.v1.CustomerService', label: 'customer' },
  // Served by the process that keeps the credentials: the customer service.
  identity: { proto: 'identity', fullName: 'brokerage.identity.v1.IdentityService', label: 'customer' },
  asset: { proto: 'asset', fullName: 'brokerage.asset.v1.AssetService', label: 'asset' },
  order: { proto: 'order', fullName: 'brokerage.order.v1.OrderService', label: 'order' },
  processor: { proto: 'processor', fullName: 'brokerage.processor.v1.ProcessorService', label: 'order-processor' },
  notification: { proto: 'notification', fullName: 'brokerage.notification.v1.NotificationService', label: 'notification' },
  audit: { proto: 'audit', fullName: 'brokerage.audit.v1.AuditService', label: 'audit' },
} as const

export type ServiceName = keyof typeof SERVICES

/**
 * One lazily created client per service. `call` rethrows the service's own AppError, so
 * its code (NOT_FOUND, CONFLICT, …) reaches the HTTP client unchanged.
 */
export function createClients(addresses: ServiceAddresses) {
  const clients = new Map<ServiceName, GrpcClient>()

  function client(name: ServiceName): GrpcClient {
    const existing = clients.get(name)
    if (existing) return existing
    const spec = SERVICES[name]
    const address = addresses[name === 'identity' ? 'customer' : name]
    if (!address) throw new AppError('UNAVAILABLE', `The ${spec.label} service is not configured`)
    const created = createGrpcClient(grpcService(spec.proto, spec.fullName), address, spec.label)
    clients.set(name, created)
    return created
  }

  return {
    async call<Res>(service: ServiceName, method: string, request: object, opts: { deadlineMs?: number } = {}): Promise<Res> {
      return client(service).call<Res>(method, request, opts)
    },
    close() {
      for (const c of clients.values()) c.close()
      clients.clear()
    },
  }
}

export type Clients = ReturnType<typeof createClients>
