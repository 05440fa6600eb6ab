import { createCodec, createLocalRegistry, topicOf, type AnyEnvelope, type EventType, type SchemaRegistry } from '@brokerage/contracts'
import type { EventCodec, EventEnvelope } from './types.js'

/**
 * Envelope ids in PostgreSQL's canonical (lower-case) form. The inbox stores ids as uuid
 * and hands them back lower-case, so an id that arrived upper-case from an outside
 * producer or a hand replay would never match its own inbox row: done once, at decode,
 * every consumer path sees the one form.
 */
function canonicalIds(e: EventEnvelope): EventEnvelope {
  return { ...e, id: e.id.toLowerCase(), causationId: e.causationId?.toLowerCase() ?? null }
}

/** The contracts' Avro codec (Confluent framing) with its topic rule, as the platform uses it. */
export function createEventCodec(registry: SchemaRegistry = createLocalRegistry()): EventCodec {
  const codec = createCodec(registry)
  return {
    encode: (e: EventEnvelope) => codec.encode(e as AnyEnvelope),
    decode: async (b: Buffer) => canonicalIds((await codec.decode(b)) as EventEnvelope),
    topicOf: (type: string) => topicOf(type as EventType),
  }
}
