import { fileURLToPath } from 'node:url'
import { TOPICS } from '@brokerage/contracts'
import { createServiceRuntime, dlqTopicOf, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createAuditGrpc } from './grpc.js'
import { createIngester } from './ingest.js'
import { createAppender } from './log.js'

export const CONSUMER_GROUP = 'audit'

/** Every topic of the platform and its dead-letter topic: what the audit log records. */
export const AUDITED_TOPICS = Object.values(TOPICS).flatMap((t) => [t, dlqTopicOf(t)])

/**
 * The audit service: one consumer group of its own on every topic, so it never holds back
 * a saga; each batch of a partition is appended to the hash-chained log in one transaction.
 */
export async function startAuditService(opts: { config: ServiceConfig; now?: () => Date; maxBatchSize?: number; lingerMs?: number }) {
  const now = opts.now ?? (() => new Date())
  const runtime = await createServiceRuntime({
    name: 'audit',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })
  try {
    runtime.grpc.addService(grpcService('audit'), createAuditGrpc({ db: runtime.db, now }))

    const { bus, db, metrics } = runtime
    for (const t of AUDITED_TOPICS) await bus.ensureTopic(t)
    const stored = metrics.registerGaugeSource('audit_chain_head', 'Sequence of the last row of the audit chain', [], async () => [
      { labels: {}, value: (await db.query<{ sequence: number }>('SELECT sequence FROM chain_head')).rows[0]!.sequence },
    ])
    const lag = metrics.registerConsumerLag(async () =>
      (await bus.lag(CONSUMER_GROUP, AUDITED_TOPICS)).map((p) => ({
        labels: { group: CONSUMER_GROUP, topic: p.topic, partition: p.partition },
        value: p.lag,
      })),
    )
    const consumer = await bus.consume({
      groupId: CONSUMER_GROUP,
      topics: AUDITED_TOPICS,
      maxBatchSize: opts.maxBatchSize ?? 500,
      // Off the saga's path: under load it waits a little longer than the saga's consumers, so
      // that one transaction takes the records of many partitions (statements per event fall).
      lingerMs: opts.lingerMs ?? 25,
      ...createIngester({ db, codec: runtime.codec, append: createAppender(), now }),
    })
    runtime.onStop(async () => {
      await consumer.stop()
      lag()
      stored()
    })
    await runtime.listen()
  } catch (err) {
    await runtime.stop()
    throw err
  }
  return { runtime, stop: () => runtime.stop() }
}
