import type { MessageBus } from './port.js'

export interface BusConfig {
  /** 'pglog' (embedded default, on PostgreSQL), 'kafka', or 'memory' (one process only). */
  kind: 'pglog' | 'kafka' | 'memory'
  /** PostgreSQL URL of the log database, for pglog. */
  url?: string
  /** Comma-separated bootstrap brokers, for kafka. */
  brokers?: string
  log?: (obj: object, msg: string) => void
}

/** Opens the adapter the configuration names; adapters load lazily so unused clients never start. */
export async function connectBus(cfg: BusConfig): Promise<MessageBus> {
  switch (cfg.kind) {
    case 'pglog': {
      if (!cfg.url) throw new Error('the pglog bus needs a database URL (BUS_DATABASE_URL)')
      const { createPgLogBus } = await import('./pglog.js')
      return createPgLogBus({ url: cfg.url, log: cfg.log })
    }
    case 'memory': {
      const { createMemoryBus } = await import('./memory.js')
      return createMemoryBus()
    }
    case 'kafka': {
      const { createKafkaBus, parseKafkaConfig } = await import('./kafka.js')
      return createKafkaBus({ ...parseKafkaConfig({ KAFKA_BROKERS: cfg.brokers }), log: cfg.log })
    }
  }
}
