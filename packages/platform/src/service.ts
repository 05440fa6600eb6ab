import { createDb } from './postgres/db.js'
import { loadMigrations, migrate } from './postgres/migrate.js'
import { connectBus, type BusConfig } from './messaging/connect.js'
import type { Consumer, MessageBus } from './messaging/port.js'
import { DEFAULT_RETRY, type RetryPolicy } from './messaging/retry.js'
import { createOutbox, OUTBOX_MIGRATIONS } from './events/outbox.js'
import { outboxBacklog, startRelay } from './events/relay.js'
import { startEventConsumer } from './events/consumer.js'
import type { EventHandlers } from './events/handlers.js'
import { createEventCodec } from './events/codec.js'
import { createConfluentRegistry } from './messaging/schema-registry.js'
import { createLogger, withLogContext } from './observability/log.js'
import { createMetrics } from './observability/metrics.js'
import { initTracing, inSpan, SpanKind, withTraceparent } from './observability/tracing.js'
import { createHttpServer } from './http/server.js'
import { createOpsRoutes, createPublicHealthRoutes } from './http/ops.js'
import { createGrpcServer } from './grpc/server.js'
import type { GrpcTlsSetting } from './grpc/tls.js'
import { createStopper } from './lifecycle.js'

/**
 * Under load, how long a relay and a consumer wait after a wake-up for more to come, so that
 * per-cycle and per-transaction statements are shared by several events (BENCHMARKS.md,
 * "Round 3"). Only when the last cycle with work was less than 10 × this ago: an idle
 * platform answers at once. 15 ms rather than 5: at 250 orders/s the platform's CPU per order
 * fell 13 % (6.9 → 6.0 ms) with p99 no worse (fewer, fuller fetches and transactions contend less);
 * the price is up to 15 ms a hop for a trickle of orders ≥ 7 a second (BENCHMARKS.md, "Lingers of 15 ms").
 */
const RELAY_LINGER_MS = 15
const CONSUMER_LINGER_MS = 15

export interface ServiceConfig {
  databaseUrl: string
  bus: BusConfig
  /** HTTP port for /health and /metrics (and the API, for the gateway); 0 picks a free one. */
  httpPort: number
  /**
   * When set, /metrics and the detailed /health/ready move to a server of their own on this
   * port (0 picks a free one), and the HTTP port keeps bare liveness and readiness answers.
   */
  opsPort?: number
  /** gRPC port; omit for a service without a synchronous API. */
  grpcPort?: number
  /** Mutual TLS of its gRPC server and clients; plaintext only when 'off' is asked for. */
  grpcTls?: GrpcTlsSetting
  host?: string
  logLevel?: string
  otlpUrl?: string
  retry?: RetryPolicy
  /** A Confluent Schema Registry for the events' schema ids (SCHEMA_REGISTRY_URL); without it, the built-in registry. */
  schemaRegistryUrl?: string
}

export interface ServiceOptions {
  name: string
  config: ServiceConfig
  /** Folder of the service's own `NNN_name.sql` migrations. */
  migrationsDir?: string
  bodyLimit?: number
}

/**
 * Everything a service stands on, built in order: logs, tracing, metrics, its database
 * (migrated), the broker, the outbox and its relay, an HTTP server with health and
 * metrics, and a gRPC server. The service adds its routes, gRPC methods and consumers,
 * then calls listen(); stop() undoes it all in reverse, finishing in-flight work.
 */
export async function createServiceRuntime(opts: ServiceOptions) {
  const { name, config } = opts
  const log = createLogger({ service: name, level: config.logLevel })
  const tracing = await initTracing({ service: name, exporterUrl: config.otlpUrl })
  const metrics = createMetrics({ service: name })
  const stopper = createStopper()
  stopper.add(() => tracing.shutdown())

  const db = createDb({ url: config.databaseUrl, applicationName: name })
  stopper.add(() => db.close())
  await migrate(db, 'platform', OUTBOX_MIGRATIONS)
  if (opts.migrationsDir) await migrate(db, name.replaceAll('-', '_'), await loadMigrations(opts.migrationsDir))

  const bus: MessageBus = await connectBus({ ...config.bus, log: (o, m) => log.warn(o, m) })
  stopper.add(() => bus.close())

  const relay = startRelay({
    db,
    bus,
    url: config.databaseUrl,
    lingerMs: RELAY_LINGER_MS,
    onError: (err) => log.error({ err }, 'outbox relay failed; retrying'),
    onPublished: (n) => metrics.relayBatchSize.observe({}, n),
  })
  stopper.add(() => relay.stop())
  // One codec per service, from its configuration, so every service reads and writes the same schema ids.
  const codec = createEventCodec(config.schemaRegistryUrl ? createConfluentRegistry({ url: config.schemaRegistryUrl }) : undefined)
  const outbox = createOutbox(codec, { db, localRelay: () => relay })
  metrics.registerOutboxBacklog(() => outboxBacklog(db))

  const http = createHttpServer({ log, metrics, service: name, bodyLimit: opts.bodyLimit })
  const consumers: Array<{ groupId: string; topics: string[]; consumer: Consumer }> = []
  const readyDetail: Array<() => Record<string, unknown>> = []
  const opsOptions = {
    service: name,
    metrics,
    detail: () => Object.assign({}, ...readyDetail.map((f) => f())),
    checks: {
      db: async () => {
        await db.query('SELECT 1')
      },
      broker: () => bus.ping(),
    },
  }
  const ops = config.opsPort === undefined ? undefined : createHttpServer({ log, metrics, service: name })
  if (ops) {
    await ops.register(createOpsRoutes(opsOptions))
    await http.register(createPublicHealthRoutes(opsOptions))
  } else {
    await http.register(createOpsRoutes(opsOptions))
  }
  metrics.registerConsumerLag(async () => {
    const out = []
    for (const c of consumers) {
      for (const p of await bus.lag(c.groupId, c.topics))
        out.push({ labels: { group: c.groupId, topic: p.topic, partition: p.partition }, value: p.lag })
    }
    return out
  })
  metrics.registerDlqMessages(async () => {
    const out = []
    const topics = [...new Set(consumers.flatMap((c) => c.topics))].map((t) => `${t}.dlq`)
    const known = new Set(await bus.listTopics())
    for (const t of topics.filter((t) => known.has(t))) {
      const parts = await bus.lag('dlq-size', [t])
      out.push({ labels: { topic: t }, value: parts.reduce((s, p) => s + p.endOffset, 0) })
    }
    return out
  })

  const grpc = createGrpcServer({ log, metrics, tls: config.grpcTls })

  async function consume(groupId: string, topics: string[], handlers: EventHandlers, o: { maxBatchSize?: number } = {}) {
    for (const t of topics) await bus.ensureTopic(t)
    const consumer = await startEventConsumer({
      db,
      bus,
      codec,
      groupId,
      topics,
      handlers,
      retry: config.retry ?? DEFAULT_RETRY,
      maxBatchSize: o.maxBatchSize,
      lingerMs: CONSUMER_LINGER_MS,
      onTransaction: (n) => metrics.consumerBatchSize.observe({ group: groupId }, n),
      around: (event, fn) =>
        withTraceparent(event.traceparent, () =>
          withLogContext({ eventId: event.id, eventType: event.type, correlationId: event.correlationId }, () =>
            inSpan(`consume ${event.type}`, { 'messaging.consumer.group.name': groupId, 'messaging.message.id': event.id }, fn, {
              kind: SpanKind.CONSUMER,
            }),
          ),
        ),
      onOutcome: ({ type, outcome, seconds }) => {
        if (outcome !== 'skipped') metrics.eventHandlerDuration.observe({ group: groupId, type, outcome }, seconds)
      },
      onError: (err, msg) =>
        log.warn({ err, topic: msg.topic, partition: msg.partition, offset: msg.offset, groupId }, 'event handler failed'),
    })
    consumers.push({ groupId, topics, consumer })
    return consumer
  }

  const ports = { http: 0, grpc: 0, ops: 0 }
  return {
    name,
    log,
    metrics,
    db,
    bus,
    codec,
    outbox,
    relay,
    http,
    grpc,
    consume,
    ports,
    onStop: stopper.add,
    /** Adds to /health/ready's answer what does not decide readiness (the state of the gateway's breakers). */
    addReadyDetail: (f: () => Record<string, unknown>) => void readyDetail.push(f),
    async listen() {
      const host = config.host ?? '127.0.0.1'
      // Stop callbacks run in reverse: servers stop taking work, then consumers finish theirs.
      stopper.add(async () => {
        for (const c of consumers) await c.consumer.stop()
      })
      if (config.grpcPort !== undefined) {
        ports.grpc = await grpc.listen(config.grpcPort, host)
        stopper.add(() => grpc.stop())
      }
      if (ops) {
        await ops.listen({ port: config.opsPort, host })
        ports.ops = (ops.server.address() as { port: number }).port
        // Stopped last of the servers: probes and scrapes see the shutdown through.
        stopper.add(() => ops.close())
      }
      await http.listen({ port: config.httpPort, host })
      ports.http = (http.server.address() as { port: number }).port
      stopper.add(() => http.close())
      log.info({ httpPort: ports.http, grpcPort: ports.grpc || undefined, opsPort: ports.ops || undefined }, `${name} listening`)
      return ports
    },
    stop: () => stopper.stop(),
  }
}

export type ServiceRuntime = Awaited<ReturnType<typeof createServiceRuntime>>
