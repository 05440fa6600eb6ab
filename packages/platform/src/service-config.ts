import { readConfig, type Env } from './config.js'
import type { ServiceConfig } from './service.js'
import { grpcTlsFromEnv } from './grpc/tls.js'

/** The variables every service reads (its main.ts adds its own). */
export const SERVICE_ENV = {
  DATABASE_URL: { type: 'url', required: true },
  BUS: { type: 'enum', values: ['pglog', 'kafka', 'memory'], default: 'pglog' },
  BUS_DATABASE_URL: { type: 'url' },
  KAFKA_BROKERS: { type: 'string' },
  HTTP_PORT: { type: 'int', default: 0, min: 0, max: 65535 },
  GRPC_PORT: { type: 'int', min: 0, max: 65535 },
  HOST: { type: 'string', default: '127.0.0.1' },
  LOG_LEVEL: { type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'url' },
} as const

export function serviceConfigFromEnv(env: Env): ServiceConfig {
  const c = readConfig(env, SERVICE_ENV)
  return {
    databaseUrl: c.DATABASE_URL,
    bus: { kind: c.BUS, url: c.BUS_DATABASE_URL, brokers: c.KAFKA_BROKERS },
    httpPort: c.HTTP_PORT,
    grpcPort: c.GRPC_PORT,
    grpcTls: grpcTlsFromEnv(env),
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    otlpUrl: c.OTEL_EXPORTER_OTLP_ENDPOINT,
  }
}
