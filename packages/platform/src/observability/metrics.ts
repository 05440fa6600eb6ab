import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

type LabelValue = string | number
type Labels = Record<string, LabelValue>

/** A histogram whose label set is checked by the compiler (prom-client's is all-optional). */
export interface HistogramHandle<L extends Labels> {
  observe(labels: L, seconds: number): void
  /** Starts timing now; call the result with the labels once the outcome is known. */
  startTimer(): (labels: L) => number
}

export interface GaugeSample<K extends string> {
  labels: Record<K, LabelValue>
  value: number
}

/** Computes a gauge's current samples at scrape time (a lag query, a backlog count). */
export type GaugeSource<K extends string> = () => Promise<ReadonlyArray<GaugeSample<K>>>

export type EventOutcome = 'ok' | 'retry' | 'dlq' | 'duplicate'

export interface MetricsOptions {
  service: string
  /** Process metrics (CPU, memory, event-loop lag, GC); on unless a test turns them off. */
  defaultMetrics?: boolean
}

// Sagas wait on other services and on timeouts, so they need a longer tail than requests.
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
const SAGA_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]

export function createMetrics(opts: MetricsOptions) {
  const registry = new Registry()
  registry.setDefaultLabels({ service: opts.service })
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })

  function histogram<L extends Labels>(
    name: string,
    help: string,
    labelNames: ReadonlyArray<keyof L & string>,
    buckets?: number[],
  ): HistogramHandle<L> {
    const h = new Histogram({ name, help, labelNames: [...labelNames], registers: [registry], ...(buckets ? { buckets } : {}) })
    return {
      observe: (labels, seconds) => h.observe(labels, seconds),
      startTimer() {
        const end = h.startTimer()
        return (labels) => end(labels)
      },
    }
  }

  // Gauge refreshes running in the current scrape. prom-client starts every metric's
  // collect() together, so the error counter waits for them and reports a failure in
  // the same scrape rather than the next one.
  const refreshing = new Set<Promise<void>>()
  const gaugeSourceErrors = new Counter({
    name: 'gauge_source_errors_total',
    help: 'Scrape-time gauge sources that failed; the gauge keeps its previous values',
    labelNames: ['gauge'],
    registers: [registry],
    async collect() {
      await null // let the gauges registered after this counter start their refresh
      await Promise.all(refreshing)
    },
  })
  const gauges = new Map<string, { labelNames: readonly string[]; sources: Set<GaugeSource<string>> }>()

  async function refreshGauge(gauge: Gauge<string>, name: string, sources: Set<GaugeSource<string>>): Promise<void> {
    const results = await Promise.allSettled([...sources].map((source) => source()))
    if (results.some((r) => r.status === 'rejected')) {
      gaugeSourceErrors.inc({ gauge: name })
      return
    }
    try {
      // Reset and refill with no await in between, so concurrent scrapes cannot interleave.
      gauge.reset()
      for (const r of results) {
        if (r.status === 'fulfilled') for (const sample of r.value) gauge.inc(sample.labels, sample.value)
      }
    } catch {
      // A sample with undeclared labels must not take the whole /metrics page down.
      gaugeSourceErrors.inc({ gauge: name })
    }
  }

  /**
   * Plugs a scrape-time source into gauge `name`, creating it on first use. Several
   * sources may feed one gauge (two consumer groups in one process); samples with the
   * same labels are summed. If any source fails, the gauge keeps its previous values
   * rather than dropping to zero, which would silence a backlog alert. Returns an
   * unregister function for when the measured thing (a consumer) closes.
   */
  function registerGaugeSource<K extends string>(name: string, help: string, labelNames: readonly K[], source: GaugeSource<K>): () => void {
    let entry = gauges.get(name)
    if (!entry) {
      const sources = new Set<GaugeSource<string>>()
      const gauge: Gauge<string> = new Gauge({
        name,
        help,
        labelNames: [...labelNames],
        registers: [registry],
        async collect() {
          const refresh = refreshGauge(gauge, name, sources)
          refreshing.add(refresh)
          try {
            await refresh
          } finally {
            refreshing.delete(refresh)
          }
        },
      })
      entry = { labelNames: [...labelNames], sources }
      gauges.set(name, entry)
    } else if (entry.labelNames.join() !== labelNames.join()) {
      throw new Error(`gauge ${name} already has labels [${entry.labelNames.join()}], not [${labelNames.join()}]`)
    }
    const { sources } = entry
    sources.add(source as GaugeSource<string>)
    return () => {
      sources.delete(source as GaugeSource<string>)
    }
  }

  /** A counter on this registry, made on first use (two users of one name share it; their labels must agree). */
  function counter<K extends string>(name: string, help: string, labelNames: readonly K[] = []): Counter<K> {
    return (
      (registry.getSingleMetric(name) as Counter<K> | undefined) ??
      new Counter({ name, help, labelNames: [...labelNames], registers: [registry] })
    )
  }

  return {
    registry,
    counter,
    httpRequestDuration: histogram<{ method: string; route: string; status: LabelValue }>(
      'http_request_duration_seconds',
      'HTTP requests by route template and status',
      ['method', 'route', 'status'],
    ),
    grpcRequestDuration: histogram<{ method: string; code: string }>(
      'grpc_request_duration_seconds',
      'gRPC calls served, by method and status code name',
      ['method', 'code'],
    ),
    eventHandlerDuration: histogram<{ group: string; type: string; outcome: EventOutcome }>(
      'event_handler_duration_seconds',
      'Event handling by consumer group, event type and outcome',
      ['group', 'type', 'outcome'],
    ),
    // Sizes, not seconds: events per consumer transaction and rows per relay cycle show whether load batches.
    consumerBatchSize: histogram<{ group: string }>(
      'consumer_batch_size',
      'Events handled per consumer transaction, by consumer group',
      ['group'],
      BATCH_BUCKETS,
    ),
    relayBatchSize: histogram<Record<string, never>>('outbox_relay_batch_size', 'Outbox rows published per relay cycle', [], BATCH_BUCKETS),
    sagaDuration: histogram<{ saga: string; outcome: string }>(
      'saga_duration_seconds',
      'Sagas from start to their final outcome',
      ['saga', 'outcome'],
      SAGA_BUCKETS,
    ),
    registerGaugeSource,
    // The gauges every service runtime feeds (service.ts); a service adds its own with registerGaugeSource.
    registerConsumerLag: (source: GaugeSource<'group' | 'topic' | 'partition'>) =>
      registerGaugeSource('consumer_lag', 'Records not yet processed, per group and partition', ['group', 'topic', 'partition'], source),
    registerOutboxBacklog: (count: () => Promise<number>) =>
      registerGaugeSource('outbox_backlog', 'Events committed but not yet published', [], async () => [
        { labels: {}, value: await count() },
      ]),
    registerDlqMessages: (source: GaugeSource<'topic'>) =>
      registerGaugeSource('dlq_messages', 'Messages in dead-letter topics this service consumes from', ['topic'], source),
  }
}

export type Metrics = ReturnType<typeof createMetrics>
