import * as grpc from '@grpc/grpc-js'
import { loadProto, type ProtoName } from '@brokerage/contracts'
import { GRPC_SERVICES, type GrpcServiceDefinitions, type GrpcServiceName } from '@brokerage/contracts/grpc'
import { serviceFromPackage, type ClientCtor } from './client.js'

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
export function grpcService<S extends GrpcServiceName>(name: S): GrpcService<S>
/** @deprecated Name the service, grpcService('order'): its clients and handlers are then typed by the protos. */
export function grpcService(proto: string, fullName: string): ClientCtor & { service: grpc.ServiceDefinition }
export function grpcService(name: string, fullName?: string) {
  if (fullName !== undefined) return serviceFromPackage(grpc.loadPackageDefinition(loadProto(name as ProtoName)), fullName)
  const known = loaded.get(name as GrpcServiceName)
  if (known) return known
  const spec = GRPC_SERVICES[name as GrpcServiceName]
  if (!spec) throw new Error(`no gRPC service ${name}`)
  const Client = serviceFromPackage(grpc.loadPackageDefinition(loadProto(spec.proto)), spec.fullName)
  // The definition proto-loader built at run time is the one the generated type describes.
  const service = { name, service: Client.service, Client } as unknown as GrpcService<GrpcServiceName>
  loaded.set(service.name, service)
  return service
}
