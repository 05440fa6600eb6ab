import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ConfigError } from '../config.js'
import { serviceConfigFromEnv } from '../service-config.js'
import { connectBus, kafkaOptionsOf } from './connect.js'

// GRPC_TLS=off: these are about the bus's configuration; the service's gRPC has none here.
const env = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/svc', BUS: 'kafka', KAFKA_BROKERS: 'kafka-1:9092,kafka-2:9092', GRPC_TLS: 'off' }

test('when the KAFKA_* tuning variables are set, then the Kafka adapter is opened with them', () => {
  const config = serviceConfigFromEnv({
    ...env,
    KAFKA_CLIENT_ID: 'desk-7',
    KAFKA_SESSION_TIMEOUT_MS: '30000',
    KAFKA_REBALANCE_TIMEOUT_MS: '90000',
    KAFKA_REPLICATION_FACTOR: '3',
  })
  assert.deepEqual(kafkaOptionsOf(config.bus), {
    brokers: ['kafka-1:9092', 'kafka-2:9092'],
    clientId: 'desk-7',
    sessionTimeoutMs: 30_000,
    rebalanceTimeoutMs: 90_000,
    heartbeatIntervalMs: 10_000,
    replicationFactor: 3,
  })
})

test('when only KAFKA_BROKERS is set, then the adapter gets the defaults', () => {
  assert.deepEqual(kafkaOptionsOf(serviceConfigFromEnv(env).bus), {
    brokers: ['kafka-1:9092', 'kafka-2:9092'],
    clientId: 'brokerage',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 60_000,
    heartbeatIntervalMs: 3333,
    replicationFactor: -1,
  })
})

test('when a KAFKA_* value is bad, then the configuration is refused naming the variable, before any broker is contacted', async () => {
  assert.throws(
    () => serviceConfigFromEnv({ ...env, KAFKA_SESSION_TIMEOUT_MS: 'soon', KAFKA_REPLICATION_FACTOR: '-2' }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.some((p) => p.startsWith('KAFKA_SESSION_TIMEOUT_MS')) &&
      err.problems.some((p) => p.startsWith('KAFKA_REPLICATION_FACTOR')),
  )
  const config = serviceConfigFromEnv({ ...env, KAFKA_SESSION_TIMEOUT_MS: '30000', KAFKA_REBALANCE_TIMEOUT_MS: '20000' })
  await assert.rejects(connectBus(config.bus), /KAFKA_REBALANCE_TIMEOUT_MS must be an integer of at least 30000, not '20000'/)
  await assert.rejects(connectBus(serviceConfigFromEnv({ ...env, KAFKA_BROKERS: '' }).bus), /needs KAFKA_BROKERS/)
})
