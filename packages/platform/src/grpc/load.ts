import * as grpc from '@grpc/grpc-js'
import { loadProto } from '@brokerage/contracts'
import { serviceFromPackage } from './client.js'

/**
 * A service from the contracts' protos: `.service` is the definition a server adds,
 * the value itself is the client constructor createGrpcClient takes.
 * e.g. grpcService('order', 'brokerage.order.v1.OrderService')
 */
export function grpcService(proto: string, fullName: string) {
  return serviceFromPackage(grpc.loadPackageDefinition(loadProto(proto as Parameters<typeof loadProto>[0])), fullName)
}
