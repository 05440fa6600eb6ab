import type pg from 'pg'
import type { Db } from '../postgres/db.js'
import type { Consumer, Message, MessageBus } from '../messaging/port.js'
import { deadLetter, eachMessage, isPermanent, PermanentError, type RetryPolicy } from '../messaging/retry.js'
import { EVENT_HEADERS, type EventCodec, type EventEnvelope } from './types.js'
import type { EventHandlers } from './handlers.js'

export interface HandlerContext {
  /** The transaction the effect runs in; the inbox row and any outbox rows share it. */
  tx: pg.PoolClient
  message: Message
}

export interface BatchContext {
  /** The one transaction of the whole batch: inbox rows, effects and outbox rows. */
  tx: pg.PoolClient
  /** The messages the events came from, index for index. */
  messages: readonly Message[]
}

export type EventHandler = (event: EventEnvelope, ctx: HandlerContext) => Promise<void>
export type BatchEventHandler = (events: readonly EventEnvelope[], ctx: BatchContext) => Promise<void>

export interface EventConsumerOptions {
  db: Db
  bus: MessageBus
  codec: EventCodec
  groupId: string
  topics: string[]
  /**
   * Handlers by event type (see defineHandlers): per event, or set-based (`{ batch }`), which
   * gets each run of consecutive fresh events of its type at once; events of other (known)
   * types are skipped.
   */
  handlers: EventHandlers
  retry?: RetryPolicy
  /** Runs the handler inside this wrapper (tracing, log context); defaults to calling it. */
  around?: <T>(event: EventEnvelope, fn: () => Promise<T>) => Promise<T>
  onOutcome?: (event: { type: string; outcome: 'ok' | 'duplicate' | 'skipped' | 'retry' | 'dlq'; seconds: number }) => void
  onError?: (err: unknown, msg: Message) => void
  maxBatchSize?: number
  /** One transaction per batch (default) or per event. */
  batchTransactions?: boolean
  /** See ConsumeOptions.lingerMs (default 0: fetch at once). */
  lingerMs?: number
  /** Messages handled in each transaction, once it has committed (a batch-size metric). */
  onTransaction?: (messages: number) => void
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
  const handlers = opts.handlers as Readonly<Record<string, EventHandler | { batch: BatchEventHandler } | undefined>>

  /** One event through its handler, whichever kind it is (the per-event path). */
  function applyOne(event: EventEnvelope, tx: pg.PoolClient, message: Message): Promise<void> {
    const handler = handlers[event.type]!
    return typeof handler === 'function' ? handler(event, { tx, message }) : handler.batch([event], { tx, messages: [message] })
  }

  /**
   * A run of fresh events of one type: a set-based handler gets it whole (traced and logged
   * under the run's first event), a per-event handler event by event.
   */
  async function applyRun(events: EventEnvelope[], tx: pg.PoolClient, messages: Message[]): Promise<void> {
    const handler = handlers[events[0]!.type]!
    if (typeof handler !== 'function') return around(events[0]!, () => handler.batch(events, { tx, messages }))
    for (const [i, event] of events.entries()) await around(event, () => handler(event, { tx, message: messages[i]! }))
  }

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
    if (!handlers[event.type]) {
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
        await applyOne(event, tx, msg)
        return true
      }),
    )
    opts.onTransaction?.(1)
    opts.onOutcome?.({ type: event.type, outcome: applied ? 'ok' : 'duplicate', seconds: seconds() })
  }

  /**
   * The fast path: a whole batch in one transaction (one commit instead of one per event),
   * one inbox statement for all its events, and each run of consecutive fresh events of one
   * type handed to its handler at once (so a set-based handler costs a few statements per
   * run, and the order within the partition is kept). Messages that can never decode have
   * no effect, so they leave the batch and are dead-lettered once it has committed. Any
   * other failure rolls it all back and the batch goes through the per-event path, which
   * retries and dead-letters event by event; the effects are the same either way.
   */
  async function handleAllAtOnce(messages: readonly Message[]): Promise<boolean> {
    if (messages.length < 2) return false
    const started = process.hrtime.bigint()
    const decoded = await Promise.allSettled(messages.map(decode))
    const events: Array<{ event: EventEnvelope; message: Message }> = []
    const poison: Array<{ err: unknown; message: Message }> = []
    for (const [i, d] of decoded.entries()) {
      const message = messages[i]!
      if (d.status === 'fulfilled') events.push({ event: d.value, message })
      else if (isPermanent(d.reason)) poison.push({ err: d.reason, message })
      else return false
    }
    const handled = events.filter(({ event }) => handlers[event.type])
    const outcomes: Array<{ type: string; outcome: 'ok' | 'duplicate' | 'skipped' }> = []
    try {
      // A batch of only events this group does not handle (a topic read for a few of its types)
      // has nothing to write: no transaction, no connection taken from the pool.
      if (!handled.length) for (const { event } of events) outcomes.push({ type: event.type, outcome: 'skipped' })
      else
        await opts.db.tx(async (tx) => {
          const { rows } = await tx.query<{ event_id: string }>(
            'INSERT INTO inbox (group_id, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id',
            [opts.groupId, handled.map(({ event }) => event.id)],
          )
          const fresh = new Set(rows.map((r) => r.event_id))
          const runs: Array<{ events: EventEnvelope[]; messages: Message[] }> = []
          for (const { event, message } of events) {
            if (!handlers[event.type]) outcomes.push({ type: event.type, outcome: 'skipped' })
            else if (!fresh.delete(event.id)) outcomes.push({ type: event.type, outcome: 'duplicate' })
            else {
              // Skipped events, duplicates and poison have no effect, so the events around them still form one run.
              const last = runs[runs.length - 1]
              if (last && last.events[0]!.type === event.type) {
                last.events.push(event)
                last.messages.push(message)
              } else runs.push({ events: [event], messages: [message] })
              outcomes.push({ type: event.type, outcome: 'ok' })
            }
          }
          for (const run of runs) await applyRun(run.events, tx, run.messages)
        })
    } catch (err) {
      opts.onError?.(err, messages[0]!)
      return false
    }
    if (handled.length) opts.onTransaction?.(messages.length)
    try {
      if (poison.length) await opts.bus.publish(poison.map(({ err, message }) => deadLetter(message, err, opts.groupId, 1)))
    } catch (err) {
      // The effects are committed: the per-event path finds them in the inbox and dead-letters the poison itself.
      opts.onError?.(err, poison[0]!.message)
      return false
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / messages.length
    for (const o of outcomes) opts.onOutcome?.({ ...o, seconds })
    for (const { err, message } of poison) {
      opts.onError?.(err, message)
      opts.onOutcome?.({ type: message.headers[EVENT_HEADERS.type] ?? 'unknown', outcome: 'dlq', seconds: 0 })
    }
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
    lingerMs: opts.lingerMs,
    handleBatch: async (batch) => {
      if (opts.batchTransactions !== false && (await handleAllAtOnce(batch.messages))) return
      await oneByOne(batch)
    },
    // The partitions of one fetch in one transaction too (their events keep their order within
    // each partition); if that fails, each partition's batch takes the path above.
    handleBatches: opts.batchTransactions === false ? undefined : (batches) => handleAllAtOnce(batches.flatMap((b) => b.messages)),
  })
}
