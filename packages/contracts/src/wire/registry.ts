import type { Type } from 'avsc'
import { parseSchema } from '../avro/parse.js'
import { readPublishedSchema, PUBLISHED_DIR } from '../compat/published.js'
import { isEventType, versionOf, type EventType } from '../events/catalogue.js'
import { avroTypeOf } from '../events/envelope-schema.js'
import { UnknownSchemaError } from '../errors.js'
import { REGISTRY_IDS } from '../registry-ids.js'

export interface RegisteredSchema {
  readonly type: EventType
  readonly version: number
  /** The writer schema registered under the id. */
  readonly avro: Type
}

/**
 * Where schema ids come from. The local registry reads a committed table; a
 * Confluent Schema Registry client implements the same two calls over HTTP
 * (subject per event type, schema from `envelopeSchema`/snapshots, parsed with
 * `parseSchema`). Reject with UnknownSchemaError when the id or (type, version)
 * does not exist; any other rejection is taken as transient.
 */
export interface SchemaRegistry {
  idFor(type: EventType, version: number): Promise<number>
  typeFor(id: number): Promise<RegisteredSchema>
}

export interface LocalRegistryOptions {
  /** `Type@version → id`; defaults to registry-ids.ts. */
  ids?: Readonly<Record<string, number>>
  /** Where older versions' writer schemas are read from; defaults to schemas/published. */
  publishedDir?: string
}

const LABEL = /^([A-Za-z][A-Za-z0-9]*)@([1-9][0-9]*)$/

/** What is wrong with an id table: malformed labels, ids that are not positive int32, ids used twice. */
export function registryIdProblems(ids: Readonly<Record<string, number>>): string[] {
  const problems: string[] = []
  const owners = new Map<number, string>()
  for (const [label, id] of Object.entries(ids)) {
    if (!LABEL.test(label)) problems.push(`'${label}' is not of the form Type@version`)
    if (!Number.isInteger(id) || id < 1 || id > 0x7fffffff) problems.push(`'${label}' has id ${id}, not a positive 32-bit integer`)
    const owner = owners.get(id)
    if (owner !== undefined) problems.push(`id ${id} is used by both '${owner}' and '${label}'`)
    owners.set(id, label)
  }
  return problems
}

export function createLocalRegistry(options: LocalRegistryOptions = {}): SchemaRegistry {
  const ids = options.ids ?? REGISTRY_IDS
  const publishedDir = options.publishedDir ?? PUBLISHED_DIR
  const problems = registryIdProblems(ids)
  if (problems.length > 0) throw new Error(`invalid registry id table: ${problems.join('; ')}`)

  const labels = new Map<number, string>(Object.entries(ids).map(([label, id]) => [id, label]))
  const writers = new Map<number, RegisteredSchema>()

  function writerOf(id: number): RegisteredSchema {
    const cached = writers.get(id)
    if (cached) return cached
    const match = LABEL.exec(labels.get(id) ?? '')
    const type = match?.[1]
    const version = Number(match?.[2])
    if (!isEventType(type)) throw new UnknownSchemaError(`schema id ${id} is not registered`)
    let avro: Type
    if (version === versionOf(type)) {
      avro = avroTypeOf(type)
    } else {
      const schema = readPublishedSchema(type, version, publishedDir)
      if (schema === undefined) throw new UnknownSchemaError(`schema id ${id} (${type}@${version}) has no published schema`)
      avro = parseSchema(schema)
    }
    const registered = { type, version, avro }
    writers.set(id, registered)
    return registered
  }

  return {
    async idFor(type, version) {
      const id = ids[`${type}@${version}`]
      if (id === undefined) throw new UnknownSchemaError(`${type}@${version} has no id in registry-ids.ts`)
      return id
    },
    async typeFor(id) {
      return writerOf(id)
    },
  }
}
