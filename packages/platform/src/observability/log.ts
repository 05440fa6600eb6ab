import { AsyncLocalStorage } from 'node:async_hooks'
import { isSpanContextValid, trace } from '@opentelemetry/api'
import { pino } from 'pino'
import type { DestinationStream, LevelWithSilentOrString, Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger

/**
 * Fields every log line written inside a scope carries. The named ones are what SPEC §7
 * asks to search by; others (eventId, correlationId, …) may be added by the layer that
 * knows them.
 */
export interface LogFields {
  requestId?: string
  traceId?: string
  spanId?: string
  customerId?: string
  orderId?: string
  [field: string]: string | number | boolean | undefined
}

const storage = new AsyncLocalStorage<LogFields>()

/** Runs fn with `fields` added to the current log context (nested scopes inherit). */
export function withLogContext<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn)
}

/**
 * Runs fn with `scope` itself as the live log context (not a copy). For layers that
 * re-enter one logical scope from several callbacks (fastify hooks): fields added with
 * addLogFields in one callback are then seen by the others.
 */
export function withLogScope<T>(scope: LogFields, fn: () => T): T {
  return storage.run(scope, fn)
}

/** Adds fields to the current scope, e.g. customerId once authentication knows it. */
export function addLogFields(fields: LogFields): void {
  const store = storage.getStore()
  if (store) Object.assign(store, fields)
}

/** A snapshot of the current log context ({} outside any scope). */
export function logContext(): Readonly<LogFields> {
  return { ...storage.getStore() }
}

export interface LoggerOptions {
  service: string
  level?: LevelWithSilentOrString
  /** Where JSON lines go; stdout when omitted. Tests pass a capturing stream. */
  destination?: DestinationStream
}

export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not numbers: people and log search filter on "error", not 50.
      formatters: { level: (label) => ({ level: label }) },
      // Keys the call site passes explicitly win over the mixin (pino merges them after).
      mixin: currentFields,
    },
    // Synchronous stdout: runMain calls process.exit, and the last lines (the crash
    // reason) must not die in a buffer.
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  )
}

function currentFields(): LogFields {
  const fields: LogFields = { ...storage.getStore() }
  // The active span is more precise than a stored id: nested spans change it.
  const span = trace.getActiveSpan()?.spanContext()
  if (span && isSpanContextValid(span)) {
    fields.traceId = span.traceId
    fields.spanId = span.spanId
  }
  return fields
}
