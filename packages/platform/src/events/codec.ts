import { createCodec, createLocalRegistry, topicOf, type AnyEnvelope, type EventType, type SchemaRegistry } from '@brokerage/contracts'
import type { EventCodec, EventEnvelope } from './types.js'

/** The contracts' Avro codec (Confluent framing) with its topic rule, as the platform uses it. */
export function createEventCodec(registry: SchemaRegistry = createLocalRegistry()): EventCodec {
  const codec = createCodec(registry)
  return {
    encode: (e: EventEnvelope) => codec.encode(e as AnyEnvelope),
    decode: (b: Buffer) => codec.decode(b) as Promise<EventEnvelope>,
    topicOf: (type: string) => topicOf(type as EventType),
  }
}
