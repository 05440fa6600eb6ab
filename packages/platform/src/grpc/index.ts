export * from './server.js'
export * from './client.js'
export { loadPackageDefinition } from '@grpc/grpc-js'
export * from './load.js'
