import type pg from 'pg'
import type { Db } from '../postgres/db.js'
import type { Batch, Consumer, Message, MessageBus } from '../messaging/port.js'
import { eachMessage, PermanentError, type RetryPolicy } from '../messaging/retry.js'
import type { EventCodec, EventEnvelope } from './types.js'
import type { EventHandlers } from './handlers.js'

export interface HandlerContext {
  /** The transaction the effect runs in; the inbox row and any outbox rows share it. */
  tx: pg.PoolClient
  message: Message
}

export type EventHandler = (event: EventEnvelope, ctx: HandlerContext) => Promise<void>

export interface EventConsumerOptions {
  db: Db
  bus: MessageBus
  codec: EventCodec
  groupId: string
  topics: string[]
  /** Handlers by event type (see defineHandlers); events of other (known) types are skipped. */
  handlers: EventHandlers
  retry?: RetryPolicy
  /** Runs the handler inside this wrapper (tracing, log context); defaults to calling it. */
  around?: <T>(event: EventEnvelope, fn: () => Promise<T>) => Promise<T>
  onOutcome?: (event: { type: string; outcome: 'ok' | 'duplicate' | 'skipped' | 'retry' | 'dlq'; seconds: number }) => void
  onError?: (err: unknown, msg: Message) => void
  maxBatchSize?: number
  /** One transaction per batch (default) or per event. */
  batchTransactions?: boolean
}

class UndecodableError extends PermanentError {
  readonly code = 'EVENT_MALFORMED'
}

/**
 * An idempotent consumer: each event's effect runs exactly once per group, in one
 * transaction with its inbox row (a redelivered event finds the row and is skipped).
 * Bytes that do not decode, or an event type the registry does not know, go straight to
 * the DLQ; a handler that throws is retried with backoff, then dead-lettered.
 */
export async function startEventConsumer(opts: EventConsumerOptions): Promise<Consumer> {
  const around = opts.around ?? ((_e, fn) => fn())
  // The codec has checked each event against its type's schema, so the handler found by
  // an event's type is given the envelope that type promises.
  const handlers = opts.handlers as Readonly<Record<string, EventHandler | undefined>>

  async function decode(msg: Message): Promise<EventEnvelope> {
    try {
      return await opts.codec.decode(msg.value)
    } catch (err) {
      if (err instanceof PermanentError || (err as { code?: string }).code) throw err
      throw new UndecodableError(`cannot decode message: ${(err as Error).message}`, { cause: err })
    }
  }

  async function handle(msg: Message) {
    const started = process.hrtime.bigint()
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9
    const event = await decode(msg)
    const handler = handlers[event.type]
    if (!handler) {
      opts.onOutcome?.({ type: event.type, outcome: 'skipped', seconds: seconds() })
      return
    }
    const applied = await around(event, () =>
      opts.db.tx(async (tx) => {
        const { rowCount } = await tx.query('INSERT INTO inbox (group_id, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          opts.groupId,
          event.id,
        ])
        if (!rowCount) return false
        await handler(event, { tx, message: msg })
        return true
      }),
    )
    opts.onOutcome?.({ type: event.type, outcome: applied ? 'ok' : 'duplicate', seconds: seconds() })
  }

  /**
   * The fast path: a whole batch in one transaction (one commit instead of one per event).
   * Any failure rolls it all back and the batch goes through the per-event path, which
   * retries and dead-letters event by event; the effects are the same either way.
   */
  async function handleAllAtOnce(batch: Batch): Promise<boolean> {
    if (batch.messages.length < 2) return false
    const started = process.hrtime.bigint()
    let events: EventEnvelope[]
    try {
      events = await Promise.all(batch.messages.map(decode))
    } catch {
      return false
    }
    const handled = events.filter((e) => handlers[e.type])
    const outcomes: Array<{ type: string; outcome: 'ok' | 'duplicate' | 'skipped' }> = []
    try {
      await opts.db.tx(async (tx) => {
        const { rows } = handled.length
          ? await tx.query<{ event_id: string }>(
              'INSERT INTO inbox (group_id, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id',
              [opts.groupId, handled.map((e) => e.id)],
            )
          : { rows: [] }
        const fresh = new Set(rows.map((r) => r.event_id))
        for (const [i, event] of events.entries()) {
          const handler = handlers[event.type]
          if (!handler) outcomes.push({ type: event.type, outcome: 'skipped' })
          else if (!fresh.delete(event.id)) outcomes.push({ type: event.type, outcome: 'duplicate' })
          else {
            await around(event, () => handler(event, { tx, message: batch.messages[i]! }))
            outcomes.push({ type: event.type, outcome: 'ok' })
          }
        }
      })
    } catch (err) {
      opts.onError?.(err, batch.messages[0]!)
      return false
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / events.length
    for (const o of outcomes) opts.onOutcome?.({ ...o, seconds })
    return true
  }

  const oneByOne = eachMessage(handle, {
    bus: opts.bus,
    groupId: opts.groupId,
    policy: opts.retry,
    onRetry: (err, msg) => {
      opts.onError?.(err, msg)
      opts.onOutcome?.({ type: msg.headers['event-type'] ?? 'unknown', outcome: 'retry', seconds: 0 })
    },
    onDeadLetter: (err, msg) => {
      opts.onError?.(err, msg)
      opts.onOutcome?.({ type: msg.headers['event-type'] ?? 'unknown', outcome: 'dlq', seconds: 0 })
    },
  })

  return opts.bus.consume({
    groupId: opts.groupId,
    topics: opts.topics,
    maxBatchSize: opts.maxBatchSize,
    handleBatch: async (batch) => {
      if (opts.batchTransactions !== false && (await handleAllAtOnce(batch))) return
      await oneByOne(batch)
    },
  })
}
