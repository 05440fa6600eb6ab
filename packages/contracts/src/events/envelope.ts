import { randomUUID } from 'node:crypto'
import type { InferAvro } from '../avro/infer.js'
import { SchemaValidationError } from '../errors.js'
import { EVENTS, keyOf, type EventData, type EventType } from './catalogue.js'
import { ENVELOPE_FIELDS } from './envelope-schema.js'
import { validateEnvelope } from './validate.js'

type Header = InferAvro<{ type: 'record'; fields: typeof ENVELOPE_FIELDS }>

type EnvelopeOf<T extends EventType> = {
  [K in keyof Header | 'data']: K extends 'type' ? T : K extends 'data' ? EventData<T> : K extends keyof Header ? Header[K] : never
}

/** One event as producers build it and consumers receive it; a union over T discriminates on `type`. */
export type Envelope<T extends EventType = EventType> = T extends EventType ? EnvelopeOf<T> : never
export type AnyEnvelope = Envelope<EventType>

export interface NewEnvelopeOptions {
  /** Optional: the key is always keyOf(type, data); passing one only asserts it. */
  key?: string
  /** Defaults to the causing event's correlationId, else to this event's own id. */
  correlationId?: string
  causationId?: string | null
  traceparent?: string | null
  /** Continue a flow: takes correlationId and causationId from the event being handled. */
  causedBy?: Pick<AnyEnvelope, 'id' | 'correlationId'>
  id?: string
  now?: Date | (() => Date)
}

/** Builds and validates an event, so a bad one fails where it is made, not in the outbox relay. */
export function newEnvelope<T extends EventType>(type: T, data: EventData<T>, options: NewEnvelopeOptions = {}): Envelope<T> {
  const id = options.id ?? randomUUID()
  const key = keyOf(type, data)
  if (options.key !== undefined && options.key !== key) {
    const message = `expected ${JSON.stringify(key)}: ${type} is keyed by its data, got ${JSON.stringify(options.key)}`
    throw new SchemaValidationError(type, [{ path: 'key', message }])
  }
  const now = typeof options.now === 'function' ? options.now() : (options.now ?? new Date())
  const envelope = {
    id,
    type,
    version: EVENTS[type].version,
    occurredAt: now.toISOString(),
    key,
    correlationId: options.correlationId ?? options.causedBy?.correlationId ?? id,
    causationId: options.causationId !== undefined ? options.causationId : (options.causedBy?.id ?? null),
    traceparent: options.traceparent ?? null,
    data,
  } as Envelope<T>
  validateEnvelope(envelope)
  return envelope
}
