export * from './server.js'
export * from './ops.js'
export * from './error-reply.js'
export * from './request-id.js'
