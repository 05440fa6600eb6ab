import { parseSchema } from '../avro/parse.js'
import { EVENT_TYPES, EVENTS } from '../events/catalogue.js'
import { currentSchemaOf } from '../events/envelope-schema.js'
import { REGISTRY_IDS } from '../registry-ids.js'
import { PUBLISHED_DIR, readPublished } from './published.js'

export type Compatibility = { readonly compatible: true } | { readonly compatible: false; readonly reason: string }

/** Backward compatibility: can a reader with `readerSchema` read data written with `writerSchema`? */
export function checkBackwardCompatible(readerSchema: unknown, writerSchema: unknown): Compatibility {
  try {
    parseSchema(readerSchema).createResolver(parseSchema(writerSchema))
    return { compatible: true }
  } catch (error) {
    return { compatible: false, reason: error instanceof Error ? error.message : String(error) }
  }
}

/** Same bytes on the wire: equal Parsing Canonical Forms (docs, defaults and logical types aside). */
export function sameWireSchema(a: unknown, b: unknown): boolean {
  return parseSchema(a).fingerprint('sha256').equals(parseSchema(b).fingerprint('sha256'))
}

export interface CurrentEvent {
  readonly version: number
  /** The wire (envelope) schema. */
  readonly schema: unknown
}

export interface CompatibilityOptions {
  publishedDir?: string
  ids?: Readonly<Record<string, number>>
  /** The events as the code defines them now; defaults to this package's catalogue. */
  events?: Readonly<Record<string, CurrentEvent>>
}

function currentEvents(): Record<string, CurrentEvent> {
  return Object.fromEntries(EVENT_TYPES.map((type) => [type, { version: EVENTS[type].version, schema: currentSchemaOf(type) }]))
}

const SNAPSHOT_COMMAND = 'npx tsx packages/contracts/src/snapshot.ts'

/**
 * Everything that would break a consumer or a stored message: a published
 * version the current schema cannot read, a published version or its registry
 * id removed, a published version changed in place (its registry id would
 * then name two different writer schemas), or a current version not yet
 * snapshotted. Empty when all is well.
 */
export function compatibilityProblems(options: CompatibilityOptions = {}): string[] {
  const ids = options.ids ?? REGISTRY_IDS
  const events = options.events ?? currentEvents()
  const published = readPublished(options.publishedDir ?? PUBLISHED_DIR)
  const problems: string[] = []

  for (const snapshot of published) {
    const label = `${snapshot.type}@${snapshot.version}`
    const current = events[snapshot.type]
    if (!current) {
      problems.push(`${label} was published, but ${snapshot.type} is no longer an event: consumers and stored messages still need it`)
      continue
    }
    if (ids[label] === undefined) problems.push(`${label} was published, but its registry id was removed from registry-ids.ts`)
    if (snapshot.version > current.version) {
      problems.push(`${label} was published, but the code's ${snapshot.type} is only version ${current.version}`)
      continue
    }
    const compatibility = checkBackwardCompatible(current.schema, snapshot.schema)
    if (!compatibility.compatible) {
      problems.push(`${snapshot.type}@${current.version} cannot read data written as ${label}: ${compatibility.reason}`)
    }
    if (snapshot.version === current.version && !sameWireSchema(current.schema, snapshot.schema)) {
      const next = current.version + 1
      problems.push(
        `${label} changed after it was published: make it version ${next}, add '${snapshot.type}@${next}' to registry-ids.ts and run ${SNAPSHOT_COMMAND}`,
      )
    }
  }

  for (const [type, current] of Object.entries(events)) {
    const label = `${type}@${current.version}`
    if (!published.some((snapshot) => snapshot.type === type && snapshot.version === current.version)) {
      problems.push(`${label} has no snapshot: run ${SNAPSHOT_COMMAND}`)
    }
    if (ids[label] === undefined) problems.push(`${label} has no id in registry-ids.ts`)
  }
  return problems
}
