import type { Type } from 'avsc'
import { MalformedEventError, UnknownSchemaError } from '../errors.js'
import { avroTypeOf } from '../events/envelope-schema.js'
import type { AnyEnvelope } from '../events/envelope.js'
import { envelopeIssues, validateEnvelope } from '../events/validate.js'
import type { SchemaRegistry } from './registry.js'

// Confluent wire format: magic byte 0, schema id as 4-byte big-endian, Avro binary.
const MAGIC = 0
const HEADER = 5

export interface Codec {
  /** Validates (SchemaValidationError) and frames an event with its current schema's id. */
  encode(envelope: AnyEnvelope): Promise<Buffer>
  /**
   * Reads a frame into the current shape of its event type, whatever version
   * wrote it. MalformedEventError when it can never be read (dead-letter it);
   * other errors come from the registry and are worth a retry.
   */
  decode(frame: Buffer): Promise<AnyEnvelope>
}

type Resolver = ReturnType<Type['createResolver']>

// avsc hands back instances of generated record classes; services store,
// compare and spread events, so they get plain objects.
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain)
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toPlain(inner)]))
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function createCodec(registry: SchemaRegistry): Codec {
  const resolvers = new Map<number, Resolver | null>()

  function resolverFor(id: number, reader: Type, writer: Type): Resolver | undefined {
    let resolver = resolvers.get(id)
    if (resolver === undefined) {
      resolver = reader === writer ? null : reader.createResolver(writer)
      resolvers.set(id, resolver)
    }
    return resolver ?? undefined
  }

  return {
    async encode(envelope) {
      validateEnvelope(envelope)
      const id = await registry.idFor(envelope.type, envelope.version)
      const body = avroTypeOf(envelope.type).toBuffer(envelope)
      const frame = Buffer.allocUnsafe(HEADER + body.length)
      frame.writeUInt8(MAGIC, 0)
      frame.writeUInt32BE(id, 1)
      body.copy(frame, HEADER)
      return frame
    },

    async decode(frame) {
      if (!Buffer.isBuffer(frame) || frame.length <= HEADER) {
        throw new MalformedEventError(`event frame too short (${Buffer.isBuffer(frame) ? frame.length : typeof frame} bytes)`)
      }
      if (frame[0] !== MAGIC) throw new MalformedEventError(`event frame starts with ${frame[0]}, not the magic byte 0`)
      const schemaId = frame.readUInt32BE(1)

      let writer
      try {
        writer = await registry.typeFor(schemaId)
      } catch (error) {
        if (error instanceof UnknownSchemaError) {
          throw new MalformedEventError(`unknown schema id ${schemaId}`, { schemaId, cause: error })
        }
        throw error
      }

      const label = `${writer.type}@${writer.version} (schema id ${schemaId})`
      const reader = avroTypeOf(writer.type)
      let value: unknown
      try {
        value = reader.fromBuffer(frame.subarray(HEADER), resolverFor(schemaId, reader, writer.avro))
      } catch (error) {
        throw new MalformedEventError(`cannot decode ${label}: ${messageOf(error)}`, { schemaId, cause: error })
      }

      const envelope = toPlain(value)
      const { issues } = envelopeIssues(envelope, { version: writer.version })
      if ((envelope as { type?: unknown }).type !== writer.type) {
        issues.unshift({ path: 'type', message: `expected ${writer.type}, the type of schema id ${schemaId}` })
      }
      if (issues.length > 0) {
        const list = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')
        throw new MalformedEventError(`decoded ${label} is invalid: ${list}`, { schemaId })
      }
      return envelope as AnyEnvelope
    },
  }
}
