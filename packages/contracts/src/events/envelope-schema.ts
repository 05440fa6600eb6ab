import type { Type } from 'avsc'
import { normalizeSchema, parseSchema } from '../avro/parse.js'
import { NAMESPACE, nullableUuid, timestamp, uuid } from '../schemas/common.js'
import { EVENTS, type EventType } from './catalogue.js'

/** Fields every event carries around its data, in wire order. */
export const ENVELOPE_FIELDS = [
  { name: 'id', type: uuid },
  { name: 'type', type: 'string' },
  { name: 'version', type: 'int' },
  { name: 'occurredAt', type: timestamp },
  { name: 'key', type: 'string', doc: "The partition key: the data's customerId or assetName, by topic." },
  { name: 'correlationId', type: 'string', doc: 'Shared by every event of one flow: the request id, or the first event id.' },
  { name: 'causationId', type: nullableUuid, doc: 'Id of the event this one reacts to; null when a request caused it.' },
  { name: 'traceparent', type: ['null', 'string'], doc: 'W3C trace context of the producing span.' },
] as const

/**
 * The wire record of one (type, version): the envelope fields plus `data`.
 * Its name is stable across versions so a Confluent subject can evolve it.
 */
export function envelopeSchema(type: EventType) {
  return {
    type: 'record',
    name: `${type}Envelope`,
    namespace: NAMESPACE,
    fields: [...ENVELOPE_FIELDS, { name: 'data', type: EVENTS[type].schema }],
  } as const
}

const current = new Map<EventType, { schema: unknown; avro: Type }>()

function load(type: EventType): { schema: unknown; avro: Type } {
  let entry = current.get(type)
  if (!entry) {
    const schema = normalizeSchema(envelopeSchema(type))
    entry = { schema, avro: parseSchema(schema) }
    current.set(type, entry)
  }
  return entry
}

/** The current version's wire schema as JSON: what gets snapshotted and registered. */
export function currentSchemaOf(type: EventType): unknown {
  return load(type).schema
}

/** The current version's wire type: writes every event, reads every older version into. */
export function avroTypeOf(type: EventType): Type {
  return load(type).avro
}
