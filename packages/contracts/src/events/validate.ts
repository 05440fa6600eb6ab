import type { Type } from 'avsc'
import { SchemaValidationError, type SchemaIssue } from '../errors.js'
import { isEventType, keyOf, versionOf, type EventType } from './catalogue.js'
import { avroTypeOf } from './envelope-schema.js'

interface Described {
  readonly typeName: string
  readonly name?: string | undefined
  readonly symbols?: readonly string[]
  readonly types?: readonly Described[]
  readonly fields?: readonly { readonly name: string }[]
}

function expected(type: Described): string {
  switch (type.typeName) {
    case 'null':
      return 'null'
    case 'boolean':
      return 'a boolean'
    case 'int':
      return 'a 32-bit integer'
    case 'long':
      return 'an integer within ±9007199254740990'
    case 'float':
    case 'double':
      return 'a number'
    case 'string':
      return 'a string'
    case 'bytes':
      return 'a Buffer'
    case 'logical:uuid':
      return 'a UUID'
    case 'logical:iso-datetime':
      return 'an ISO-8601 UTC time like 2025-01-31T09:30:00.000Z'
    case 'enum':
      return `one of ${(type.symbols ?? []).join('|')}`
    case 'array':
      return 'an array'
    case 'map':
      return 'an object'
    case 'record':
      return 'an object'
    default:
      return type.types ? type.types.map(expected).join(' or ') : type.typeName
  }
}

function shown(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object' && value !== null) return 'an object'
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function issueFor(path: string[], value: unknown, type: Described): SchemaIssue {
  const at = path.join('.')
  if (value === undefined) return { path: at, message: `is missing (expected ${expected(type)})` }
  if (type.typeName === 'record' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const declared = new Set((type.fields ?? []).map((field) => field.name))
    const extra = Object.keys(value).filter((name) => !declared.has(name))
    return { path: at, message: `has undeclared field(s) ${extra.join(', ')}` }
  }
  return { path: at, message: `expected ${expected(type)}, got ${shown(value)}` }
}

/**
 * Every way `envelope` breaks its event's current schema and key rule; empty
 * when it is valid. `version` is the one expected (a decoded older event keeps
 * the version it was written with); it defaults to the current one.
 */
export function envelopeIssues(envelope: unknown, options: { version?: number } = {}): { eventType: string; issues: SchemaIssue[] } {
  if (typeof envelope !== 'object' || envelope === null) {
    return { eventType: 'unknown', issues: [{ path: '', message: `expected an envelope object, got ${shown(envelope)}` }] }
  }
  const { type, version } = envelope as { type?: unknown; version?: unknown }
  if (!isEventType(type)) {
    return { eventType: String(type), issues: [{ path: 'type', message: `unknown event type ${shown(type)}` }] }
  }
  const issues: SchemaIssue[] = []
  avroTypeOf(type).isValid(envelope, {
    noUndeclaredFields: true,
    errorHook: (path: string[], value: unknown, avroType: Type) => {
      issues.push(issueFor(path, value, avroType as unknown as Described))
    },
  })
  const expectedVersion = options.version ?? versionOf(type)
  if (version !== expectedVersion) {
    issues.push({ path: 'version', message: `expected ${expectedVersion}, got ${shown(version)}` })
  }
  if (issues.length === 0) issues.push(...keyIssues(type, envelope as { key: string; data: never }))
  return { eventType: type, issues }
}

function keyIssues(type: EventType, envelope: { key: string; data: never }): SchemaIssue[] {
  const key = keyOf(type, envelope.data)
  return envelope.key === key
    ? []
    : [{ path: 'key', message: `expected ${JSON.stringify(key)} (keyOf the data), got ${shown(envelope.key)}` }]
}

/** Throws SchemaValidationError listing every bad field; what encode and newEnvelope run. */
export function validateEnvelope(envelope: unknown): void {
  const { eventType, issues } = envelopeIssues(envelope)
  if (issues.length > 0) throw new SchemaValidationError(eventType, issues)
}
