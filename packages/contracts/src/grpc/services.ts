import type {
  AssetServiceDefinition,
  AuditServiceDefinition,
  CustomerServiceDefinition,
  IdentityServiceDefinition,
  NotificationServiceDefinition,
  OrderServiceDefinition,
  ProcessorServiceDefinition,
} from './generated/index.js'
import type { ProtoName } from './proto.js'

/** Every gRPC service by its short name: the proto file that declares it and its full name. */
export const GRPC_SERVICES = {
  identity: { proto: 'identity', fullName: 'brokerage.identity.v1.IdentityService' },
  customer: { proto: 'customer', fullName: 'brokerage.customer.v1.CustomerService' },
  asset: { proto: 'asset', fullName: 'brokerage.asset.v1.AssetService' },
  order: { proto: 'order', fullName: 'brokerage.order.v1.OrderService' },
  processor: { proto: 'processor', fullName: 'brokerage.processor.v1.ProcessorService' },
  notification: { proto: 'notification', fullName: 'brokerage.notification.v1.NotificationService' },
  audit: { proto: 'audit', fullName: 'brokerage.audit.v1.AuditService' },
} as const satisfies Record<string, { proto: ProtoName; fullName: string }>

/** The generated definition of each service: its methods with their four message types. */
export interface GrpcServiceDefinitions {
  identity: IdentityServiceDefinition
  customer: CustomerServiceDefinition
  asset: AssetServiceDefinition
  order: OrderServiceDefinition
  processor: ProcessorServiceDefinition
  notification: NotificationServiceDefinition
  audit: AuditServiceDefinition
}

export type GrpcServiceName = keyof typeof GRPC_SERVICES & keyof GrpcServiceDefinitions

// The generated definitions extend grpc-js's ServiceDefinition, whose string index
// signature would let any name through; only the declared methods are kept.
type Methods<S extends GrpcServiceName> = {
  [K in keyof GrpcServiceDefinitions[S] as string extends K ? never : number extends K ? never : K]: GrpcServiceDefinitions[S][K]
}

/** The method names of a service, e.g. GrpcMethod<'order'> = 'CreateOrder' | 'GetOrder' | … */
export type GrpcMethod<S extends GrpcServiceName> = keyof Methods<S> & string

type Definition<S extends GrpcServiceName, M extends GrpcMethod<S>> = Methods<S>[M] extends {
  requestSerialize: (value: infer Request) => Buffer
  responseSerialize: (value: infer Response) => Buffer
  requestDeserialize: (bytes: Buffer) => infer RequestOutput
  responseDeserialize: (bytes: Buffer) => infer ResponseOutput
}
  ? { request: Request; response: Response; requestOutput: RequestOutput; responseOutput: ResponseOutput }
  : never

/** What a client sends: every field optional, int64 as number or string. */
export type GrpcRequest<S extends GrpcServiceName, M extends GrpcMethod<S>> = Definition<S, M>['request']
/** What a client receives, as loadProto's options deliver it (the `__Output` type: defaults filled in, enums as names). */
export type GrpcResponse<S extends GrpcServiceName, M extends GrpcMethod<S>> = Definition<S, M>['responseOutput']
/** What a server's handler receives (the request's `__Output` type). */
export type GrpcHandlerRequest<S extends GrpcServiceName, M extends GrpcMethod<S>> = Definition<S, M>['requestOutput']
/** What a server's handler answers with (absent fields go out as their defaults). */
export type GrpcHandlerResponse<S extends GrpcServiceName, M extends GrpcMethod<S>> = Definition<S, M>['response']
