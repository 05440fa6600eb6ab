import {
  EVENT_TYPES,
  UnknownSchemaError,
  avroTypeOf,
  currentSchemaOf,
  envelopeSchema,
  parseSchema,
  readPublished,
  readPublishedSchema,
  sameWireSchema,
  versionOf,
  type EventType,
  type RegisteredSchema,
  type SchemaRegistry,
} from '@brokerage/contracts'

export interface ConfluentRegistryOptions {
  /** Base URL of the Schema Registry, e.g. http://localhost:8081. */
  url: string
  /** Where older versions' writer schemas are read from; defaults to the contracts' snapshots. */
  publishedDir?: string
  /** Basic auth, as Confluent Cloud wants it; also taken from the URL's user and password. */
  auth?: { username: string; password: string }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'
// Confluent's "not found" codes: subject (40401), version (40402), schema (40403).
const NOT_FOUND = new Set([40401, 40402, 40403])

/**
 * Subject per event type (Confluent's RecordNameStrategy): one topic carries several event
 * types, and each type's record evolves on its own, checked by the registry's compatibility rule.
 */
export function subjectOf(type: EventType): string {
  const s = envelopeSchema(type)
  return `${s.namespace}.${s.name}`
}

const TYPE_OF_SUBJECT = new Map<string, EventType>(EVENT_TYPES.map((t) => [subjectOf(t), t]))

/**
 * A Confluent Schema Registry client behind the contracts' SchemaRegistry: `idFor` registers
 * the (type, version) schema (POST /subjects/<subject>/versions, which returns the existing id
 * when the schema is already there) and `typeFor` resolves an id (GET /schemas/ids/<id>). Both
 * are cached for the life of the process, so each schema costs one request; a failed request
 * is not cached, so it is tried again.
 */
export function createConfluentRegistry(opts: ConfluentRegistryOptions): SchemaRegistry {
  // Credentials may come inside the URL (SCHEMA_REGISTRY_URL=https://key:secret@host): fetch refuses
  // such a URL, so they move to the Authorization header.
  const url = new URL(opts.url)
  const auth =
    opts.auth ?? (url.username ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } : undefined)
  url.username = ''
  url.password = ''
  const base = url.href.replace(/\/+$/, '')
  const headers: Record<string, string> = { accept: CONTENT_TYPE, 'content-type': CONTENT_TYPE }
  if (auth) headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`
  const ids = new Map<string, Promise<number>>()
  const writers = new Map<number, Promise<RegisteredSchema>>()

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    let json: { error_code?: number; message?: string } & Record<string, unknown> = {}
    try {
      json = text ? JSON.parse(text) : {}
    } catch {
      // A proxy's HTML error page: reported below with the status.
    }
    if (!res.ok) {
      const what = `schema registry ${method} ${path}: ${res.status} ${json.message ?? text.slice(0, 200)}`
      if (res.status === 404 && NOT_FOUND.has(json.error_code ?? 0)) throw new UnknownSchemaError(what)
      // Anything else (5xx, 409 incompatible, auth) is not the event's fault: the caller retries.
      throw new Error(what)
    }
    return json as T
  }

  function schemaOf(type: EventType, version: number): unknown {
    if (version === versionOf(type)) return currentSchemaOf(type)
    const schema = readPublishedSchema(type, version, opts.publishedDir)
    if (schema === undefined) throw new UnknownSchemaError(`${type}@${version} has no published schema`)
    return schema
  }

  /** The version a writer schema is, found by comparing wire forms with the versions this build knows. */
  function versionOfSchema(type: EventType, schema: unknown): number | undefined {
    if (sameWireSchema(schema, currentSchemaOf(type))) return versionOf(type)
    const published = readPublished(opts.publishedDir)
      .filter((p) => p.type === type)
      .sort((a, b) => b.version - a.version)
    return published.find((p) => sameWireSchema(schema, p.schema))?.version
  }

  function cached<K, V>(cache: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    let p = cache.get(key)
    if (!p) {
      p = load()
      cache.set(key, p)
      p.catch(() => cache.delete(key))
    }
    return p
  }

  return {
    idFor(type, version) {
      return cached(ids, `${type}@${version}`, async () => {
        const schema = schemaOf(type, version)
        const { id } = await call<{ id: number }>('POST', `/subjects/${encodeURIComponent(subjectOf(type))}/versions`, {
          schema: JSON.stringify(schema),
        })
        if (!Number.isInteger(id)) throw new Error(`schema registry gave no id for ${type}@${version}`)
        // Our own ids resolve without asking back.
        if (!writers.has(id))
          writers.set(id, Promise.resolve({ type, version, avro: version === versionOf(type) ? avroTypeOf(type) : parseSchema(schema) }))
        return id
      })
    },
    typeFor(id) {
      return cached(writers, id, async () => {
        const answer = await call<{ schema: string; schemaType?: string }>('GET', `/schemas/ids/${id}`)
        if (answer.schemaType && answer.schemaType !== 'AVRO')
          throw new UnknownSchemaError(`schema id ${id} is ${answer.schemaType}, not Avro`)
        const schema = JSON.parse(answer.schema) as { name?: string; namespace?: string }
        const fullName = schema.name?.includes('.') ? schema.name : `${schema.namespace}.${schema.name}`
        const type = TYPE_OF_SUBJECT.get(fullName)
        if (!type) throw new UnknownSchemaError(`schema id ${id} is ${fullName}, no event type of this build`)
        const version = versionOfSchema(type, schema)
        // A version newer than this build cannot be checked against its contract: refused as
        // unknown (dead-lettered, replayable once this service is upgraded).
        if (version === undefined) throw new UnknownSchemaError(`schema id ${id} is a ${type} version this build does not know`)
        return { type, version, avro: version === versionOf(type) ? avroTypeOf(type) : parseSchema(schema) }
      })
    },
  }
}
