import * as grpc from '@grpc/grpc-js'
import { loadProto } from '@brokerage/contracts'
import { GRPC_SERVICES, type GrpcServiceDefinitions, type GrpcServiceName } from '@brokerage/contracts/grpc'

export type ClientCtor = new (address: string, credentials: grpc.ChannelCredentials, options?: object) => grpc.Client

/** A service of the contracts' protos, carrying its generated types to createGrpcClient and addService. */
export interface GrpcService<S extends GrpcServiceName> {
  name: S
  /** The definition a server adds. */
  service: GrpcServiceDefinitions[S]
  /** grpc-js's client constructor. */
  Client: ClientCtor
}

const loaded = new Map<GrpcServiceName, GrpcService<GrpcServiceName>>()

/**
 * A service by its short name, e.g. grpcService('order'): createGrpcClient makes a client of
 * it whose method names and messages are checked, addService takes handlers checked the same way.
 */
export function grpcService<S extends GrpcServiceName>(name: S): GrpcService<S> {
  const known = loaded.get(name)
  if (known) return known as GrpcService<S>
  const spec = GRPC_SERVICES[name]
  if (!spec) throw new Error(`no gRPC service ${name}`)
  const Client = serviceFromPackage(grpc.loadPackageDefinition(loadProto(spec.proto)), spec.fullName)
  // The definition proto-loader built at run time is the one the generated type describes.
  const service = { name, service: Client.service, Client } as unknown as GrpcService<S>
  loaded.set(name, service as unknown as GrpcService<GrpcServiceName>)
  return service
}

/** Finds a service constructor by its full name (`brokerage.order.v1.OrderService`) in a loaded package. */
function serviceFromPackage(pkg: grpc.GrpcObject, fullName: string): ClientCtor & { service: grpc.ServiceDefinition } {
  let node: unknown = pkg
  for (const part of fullName.split('.')) node = (node as Record<string, unknown>)?.[part]
  if (typeof node !== 'function' || !('service' in node)) throw new Error(`no gRPC service ${fullName}`)
  return node as ClientCtor & { service: grpc.ServiceDefinition }
}
