export * from './log.js'
export * from './tracing.js'
export * from './metrics.js'
export * from './health.js'
