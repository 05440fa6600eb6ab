export * from './server.js'
export * from './client.js'
export * from './load.js'
export * from './tls.js'
