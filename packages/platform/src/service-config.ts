import { ConfigError, isProduction, readConfig, type Env } from './config.js'
import type { ServiceConfig } from './service.js'
import { grpcTlsFromEnv } from './grpc/tls.js'

/** The variables every service reads (its main.ts adds its own). */
export const SERVICE_ENV = {
  DATABASE_URL: { type: 'url', required: true },
  BUS: { type: 'enum', values: ['pglog', 'nats', 'kafka', 'memory'], default: 'pglog' },
  BUS_DATABASE_URL: { type: 'url' },
  /** pglog: hours a record is kept (Kafka's default week); 0 keeps every record. Dead letters are kept. */
  BUS_RETENTION_HOURS: { type: 'int', min: 0, max: 876_000, default: 168 },
  /** Comma-separated NATS server URLs, for BUS=nats. */
  NATS_URL: { type: 'string' },
  /** Replicas of NATS streams and buckets (default: 3 on a cluster, 1 on a single server). */
  NATS_REPLICAS: { type: 'int', min: 1, max: 5 },
  KAFKA_BROKERS: { type: 'string' },
  KAFKA_CLIENT_ID: { type: 'string' },
  KAFKA_SESSION_TIMEOUT_MS: { type: 'int', min: 1000 },
  KAFKA_REBALANCE_TIMEOUT_MS: { type: 'int', min: 1000 },
  KAFKA_REPLICATION_FACTOR: { type: 'int', min: -1 },
  /** A Confluent Schema Registry (http://user:password@host:8081): event schema ids come from it instead of the built-in registry. */
  SCHEMA_REGISTRY_URL: { type: 'url' },
  HTTP_PORT: { type: 'int', default: 0, min: 0, max: 65535 },
  // /metrics and the detailed readiness answer on a port of their own, off the HTTP_PORT.
  OPS_PORT: { type: 'int', min: 0, max: 65535 },
  GRPC_PORT: { type: 'int', min: 0, max: 65535 },
  HOST: { type: 'string', default: '127.0.0.1' },
  LOG_LEVEL: { type: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'url' },
} as const

// The embedded PostgreSQL of `npm start` and the tests signs in as postgres/postgres.
const DEV_DATABASE_PASSWORD = 'postgres'

export function serviceConfigFromEnv(env: Env): ServiceConfig {
  const c = readConfig(env, SERVICE_ENV)
  if (isProduction(env)) {
    const problems: string[] = []
    if (c.BUS === 'memory') problems.push('BUS: memory is for tests; production needs pglog or kafka')
    for (const [name, url] of [
      ['DATABASE_URL', c.DATABASE_URL],
      ['BUS_DATABASE_URL', c.BUS_DATABASE_URL],
    ] as const) {
      if (url && decodeURIComponent(new URL(url).password) === DEV_DATABASE_PASSWORD) {
        problems.push(`${name}: carries the development database password; production needs its own`)
      }
    }
    if (problems.length) throw new ConfigError(problems)
  }
  return {
    databaseUrl: c.DATABASE_URL,
    bus: {
      kind: c.BUS,
      url: c.BUS_DATABASE_URL,
      retentionHours: c.BUS_RETENTION_HOURS,
      natsUrl: c.NATS_URL,
      natsReplicas: c.NATS_REPLICAS,
      brokers: c.KAFKA_BROKERS,
      kafka: {
        clientId: c.KAFKA_CLIENT_ID,
        sessionTimeoutMs: c.KAFKA_SESSION_TIMEOUT_MS,
        rebalanceTimeoutMs: c.KAFKA_REBALANCE_TIMEOUT_MS,
        replicationFactor: c.KAFKA_REPLICATION_FACTOR,
      },
    },
    schemaRegistryUrl: c.SCHEMA_REGISTRY_URL,
    httpPort: c.HTTP_PORT,
    opsPort: c.OPS_PORT,
    grpcPort: c.GRPC_PORT,
    grpcTls: grpcTlsFromEnv(env),
    host: c.HOST,
    logLevel: c.LOG_LEVEL,
    otlpUrl: c.OTEL_EXPORTER_OTLP_ENDPOINT,
  }
}
