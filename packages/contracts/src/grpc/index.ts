// The gRPC side of the contracts, for `import … from '@brokerage/contracts/grpc'`: the
// services by short name, the request and response types of each method, and every
// generated message type (`Order` to send, `Order__Output` as received).

export {
  GRPC_SERVICES,
  type GrpcServiceDefinitions,
  type GrpcServiceName,
  type GrpcMethod,
  type GrpcRequest,
  type GrpcResponse,
  type GrpcHandlerRequest,
  type GrpcHandlerResponse,
} from './services.js'
export * from './generated/index.js'
