import type { MessageBus } from './port.js'
import { kafkaConfig, type KafkaConfig, type KafkaSettings } from './kafka-support.js'

export interface BusConfig {
  /** 'pglog' (embedded default, on PostgreSQL), 'nats' (JetStream), 'kafka', or 'memory' (one process only). */
  kind: 'pglog' | 'nats' | 'kafka' | 'memory'
  /** PostgreSQL URL of the log database, for pglog. */
  url?: string
  /** Comma-separated server URLs, for nats (nats://127.0.0.1:4222,nats://127.0.0.1:4223). */
  natsUrl?: string
  /** Replicas of NATS streams and buckets (default: 3 on a cluster, 1 on a single server). */
  natsReplicas?: number
  /** Comma-separated bootstrap brokers, for kafka. */
  brokers?: string
  /** Kafka's tuning (KAFKA_CLIENT_ID, KAFKA_SESSION_TIMEOUT_MS, KAFKA_REBALANCE_TIMEOUT_MS, KAFKA_REPLICATION_FACTOR). */
  kafka?: Omit<KafkaSettings, 'brokers'>
  log?: (obj: object, msg: string) => void
  /** pglog: records older than this many hours are deleted (dead letters kept); 0 or unset keeps every record. */
  retentionHours?: number
}

/** Opens the adapter the configuration names; adapters load lazily so unused clients never start. */
export async function connectBus(cfg: BusConfig): Promise<MessageBus> {
  switch (cfg.kind) {
    case 'pglog': {
      if (!cfg.url) throw new Error('the pglog bus needs a database URL (BUS_DATABASE_URL)')
      const { createPgLogBus } = await import('./pglog.js')
      return createPgLogBus({ url: cfg.url, log: cfg.log, retentionMs: cfg.retentionHours ? cfg.retentionHours * 3_600_000 : undefined })
    }
    case 'nats': {
      if (!cfg.natsUrl) throw new Error('the nats bus needs server URLs (NATS_URL, e.g. nats://127.0.0.1:4222)')
      const { createNatsBus } = await import('./nats.js')
      return createNatsBus({ servers: cfg.natsUrl, replicas: cfg.natsReplicas, log: cfg.log })
    }
    case 'memory': {
      const { createMemoryBus } = await import('./memory.js')
      return createMemoryBus()
    }
    case 'kafka': {
      const { createKafkaBus } = await import('./kafka.js')
      return createKafkaBus({ ...kafkaOptionsOf(cfg), log: cfg.log })
    }
  }
}

/** What the Kafka adapter is opened with: the brokers and tuning of the configuration, checked, defaults filled. */
export function kafkaOptionsOf(cfg: BusConfig): KafkaConfig {
  return kafkaConfig({ ...cfg.kafka, brokers: cfg.brokers })
}
