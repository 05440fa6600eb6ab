import avro from 'avsc'
import type { Type } from 'avsc'

// avsc ships no logical types of its own; these two make encode refuse a
// malformed id or time before it reaches the broker, and make decode refuse
// garbage that happens to parse as a string. Both keep the plain string as
// the JavaScript value, so JSON (outbox rows, HTTP bodies) needs no mapping.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

// UTC only, as SPEC §8 requires; `Date#toISOString()` output is the canonical form.
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

export function isIsoDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_UTC.test(value) && !Number.isNaN(Date.parse(value))
}

abstract class CheckedString extends avro.types.LogicalType {
  protected abstract accepts(value: unknown): value is string

  protected override _fromValue(value: unknown): string {
    // undefined only comes from reading past the end; let avsc report "truncated buffer".
    if (value === undefined) return value as never
    if (!this.accepts(value)) throw new Error(`invalid ${this.typeName} value: ${JSON.stringify(value)}`)
    return value
  }

  // Returning undefined is how avsc's isValid/errorHook learn the value is bad.
  protected override _toValue(value: unknown): string | undefined {
    return this.accepts(value) ? value : undefined
  }

  // A field may gain a logical type later (older writers wrote plain strings),
  // but a uuid written is never read as a time or the other way round.
  protected override _resolve(writer: Type): ((value: unknown) => string) | undefined {
    const readable = writer.typeName === 'string' || writer.typeName === this.typeName
    return readable ? (value) => this._fromValue(value) : undefined
  }
}

class UuidType extends CheckedString {
  protected accepts(value: unknown): value is string {
    return isUuid(value)
  }
}

class IsoDateTimeType extends CheckedString {
  protected accepts(value: unknown): value is string {
    return isIsoDateTime(value)
  }
}

export const LOGICAL_TYPES = {
  uuid: UuidType,
  'iso-datetime': IsoDateTimeType,
}
