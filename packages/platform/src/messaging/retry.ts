import { setTimeout as delay } from 'node:timers/promises'
import { dlqTopicOf, type Batch, type Message, type MessageBus } from './port.js'

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number
  initialDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 5_000 }

/** An error that no retry can fix (malformed bytes, unknown event type): straight to the DLQ. */
export class PermanentError extends Error {
  readonly permanent = true
}

export const isPermanent = (err: unknown) =>
  err instanceof PermanentError ||
  (typeof err === 'object' &&
    err !== null &&
    ((err as { permanent?: unknown }).permanent === true ||
      ['EVENT_MALFORMED', 'EVENT_UNKNOWN'].includes(String((err as { code?: unknown }).code))))

export const DLQ_HEADERS = {
  error: 'dlq-error',
  errorCode: 'dlq-error-code',
  topic: 'dlq-original-topic',
  partition: 'dlq-original-partition',
  offset: 'dlq-original-offset',
  group: 'dlq-group',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const

export interface EachMessageOptions {
  bus: Pick<MessageBus, 'publish'>
  groupId: string
  policy?: RetryPolicy
  onRetry?: (err: unknown, msg: Message, attempt: number) => void
  onDeadLetter?: (err: unknown, msg: Message, attempts: number) => void
}

export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1))
  // Full jitter keeps many consumers failing together from retrying in lockstep.
  return Math.round(exp / 2 + Math.random() * (exp / 2))
}

/**
 * Turns a per-message handler into a batch handler with bounded retries: a message that
 * keeps failing is written to `<topic>.dlq` with its error attached and the partition
 * moves on. Only if the dead letter cannot be written does the batch fail (and the
 * message is redelivered), so nothing is ever dropped.
 */
export function eachMessage(handler: (msg: Message) => Promise<void>, opts: EachMessageOptions): (batch: Batch) => Promise<void> {
  const policy = opts.policy ?? DEFAULT_RETRY
  return async (batch) => {
    for (const msg of batch.messages) {
      for (let attempt = 1; ; attempt++) {
        try {
          await handler(msg)
          break
        } catch (err) {
          if (!isPermanent(err) && attempt < policy.attempts) {
            opts.onRetry?.(err, msg, attempt)
            await delay(backoffMs(policy, attempt))
            continue
          }
          await opts.bus.publish([deadLetter(msg, err, opts.groupId, attempt)])
          opts.onDeadLetter?.(err, msg, attempt)
          break
        }
      }
      batch.resolveOffset(msg.offset)
    }
  }
}

export function deadLetter(msg: Message, err: unknown, groupId: string, attempts: number) {
  const e = err as { message?: unknown; code?: unknown }
  return {
    topic: dlqTopicOf(msg.topic),
    key: msg.key,
    value: msg.value,
    headers: {
      ...msg.headers,
      [DLQ_HEADERS.error]: String(e?.message ?? err).slice(0, 2000),
      [DLQ_HEADERS.errorCode]: String(e?.code ?? 'HANDLER_FAILED'),
      [DLQ_HEADERS.topic]: msg.topic,
      [DLQ_HEADERS.partition]: String(msg.partition),
      [DLQ_HEADERS.offset]: String(msg.offset),
      [DLQ_HEADERS.group]: groupId,
      [DLQ_HEADERS.attempts]: String(attempts),
      [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    },
  }
}
