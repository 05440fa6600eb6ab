import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PROTO_LOADER_OPTIONS, PROTO_NAMES } from './proto.js'

// The TypeScript types of the protos come from proto-loader's own generator
// (proto-loader-gen-types), run with the options loadProto() loads them with, so each
// `Xxx__Output` type is exactly what a handler or a client receives. They are committed;
// generated.test.ts fails when regenerating would change them.

/** packages/contracts/src/grpc/generated, absolute. */
export const GENERATED_DIR = fileURLToPath(new URL('./generated/', import.meta.url))
const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url))

/** The generator's flags for PROTO_LOADER_OPTIONS; an option it cannot mirror is an error, not a silent drift. */
export function generatorFlags(options = PROTO_LOADER_OPTIONS): string[] {
  const flags: string[] = []
  for (const [key, value] of Object.entries(options)) {
    if (key === 'includeDirs') continue // the protos' own directory, given with -I below
    if (key === 'longs' || key === 'enums' || key === 'bytes') {
      flags.push(`--${key}=${(value as { name: string }).name}`)
    } else if (['keepCase', 'defaults', 'arrays', 'objects', 'oneofs', 'json'].includes(key)) {
      if (value) flags.push(`--${key}`)
    } else {
      throw new Error(`proto-loader-gen-types has no flag for the loader option ${key}`)
    }
  }
  return flags
}

/** Writes the generated types of every proto into `outDir` (which must not exist yet, or be empty). */
export function generateProtoTypes(outDir: string): void {
  const cli = createRequire(import.meta.url).resolve('@grpc/proto-loader/build/bin/proto-loader-gen-types.js')
  // Run from the package with relative paths: each file names its proto as `proto/x.proto`, the same on every machine.
  execFileSync(
    process.execPath,
    [
      cli,
      ...generatorFlags(),
      '--grpcLib=@grpc/grpc-js',
      '--importFileExtension=.js',
      '-I',
      'proto',
      '-O',
      relative(PACKAGE_DIR, outDir) || '.',
      ...PROTO_NAMES.map((name) => `${name}.proto`),
    ],
    { cwd: PACKAGE_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
  )
  writeFileSync(join(outDir, 'index.ts'), barrel(outDir))
}

/**
 * index.ts: every type the generator wrote, re-exported by its own name (message names are
 * unique across the protos), so a consumer writes `import type * as pb from '@brokerage/contracts/grpc'`.
 */
function barrel(outDir: string): string {
  const seen = new Map<string, string>()
  const lines = ['// Written by generate.ts (npm run proto:gen) next to what proto-loader-gen-types wrote. Do not edit.', '']
  const files = [...readTree(join(outDir, 'brokerage')).entries()].sort(([a], [b]) => (a < b ? -1 : 1))
  for (const [file, source] of files) {
    const names = [...source.matchAll(/^export (?:interface|type|const) (\w+)/gm)].map((m) => m[1]!)
    const unique = [...new Set(names)]
    for (const name of unique) {
      const other = seen.get(name)
      if (other) throw new Error(`${name} is declared by both ${other} and ${file}: rename one message`)
      seen.set(name, file)
    }
    const path = `./brokerage/${file.split(sep).join('/').replace(/\.ts$/, '.js')}`
    lines.push(`export type { ${unique.join(', ')} } from '${path}'`)
  }
  return `${lines.join('\n')}\n`
}

/** Every file under `dir` by its path relative to `dir`, with its content. */
export function readTree(dir: string, files = new Map<string, string>(), root = dir): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) readTree(path, files, root)
    else files.set(relative(root, path), readFileSync(path, 'utf8'))
  }
  return files
}

/** Regenerates GENERATED_DIR: into a fresh directory first, so types of removed messages go too. */
export function regenerate(): void {
  const fresh = mkdtempSync(join(PACKAGE_DIR, '.generated-'))
  try {
    generateProtoTypes(fresh)
    rmSync(GENERATED_DIR, { recursive: true, force: true })
    renameSync(fresh, GENERATED_DIR)
  } finally {
    rmSync(fresh, { recursive: true, force: true })
  }
}
