import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EVENT_TYPES, versionOf } from '../events/catalogue.js'
import { currentSchemaOf } from '../events/envelope-schema.js'

/** packages/contracts/schemas/published: one JSON file per published (type, version). */
export const PUBLISHED_DIR = fileURLToPath(new URL('../../schemas/published/', import.meta.url))

const FILE = /^([A-Za-z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.avsc\.json$/

export interface PublishedSchema {
  readonly type: string
  readonly version: number
  readonly schema: unknown
  readonly file: string
}

export function snapshotFileName(type: string, version: number): string {
  return `${type}.v${version}.avsc.json`
}

export function readPublishedSchema(type: string, version: number, dir = PUBLISHED_DIR): unknown {
  const file = join(dir, snapshotFileName(type, version))
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}

export function readPublished(dir = PUBLISHED_DIR): PublishedSchema[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const match = FILE.exec(name)
      if (!match?.[1] || !match[2]) throw new Error(`${join(dir, name)} is not named <Type>.v<N>.avsc.json`)
      const file = join(dir, name)
      return { type: match[1], version: Number(match[2]), schema: JSON.parse(readFileSync(file, 'utf8')), file }
    })
}

/** Writes the current version of every event that has no snapshot yet; never touches an existing one. */
export function writeMissingSnapshots(dir = PUBLISHED_DIR): string[] {
  mkdirSync(dir, { recursive: true })
  const written: string[] = []
  for (const type of EVENT_TYPES) {
    const file = join(dir, snapshotFileName(type, versionOf(type)))
    if (existsSync(file)) continue
    writeFileSync(file, `${JSON.stringify(currentSchemaOf(type), null, 2)}\n`, { flag: 'wx' })
    written.push(file)
  }
  return written
}
