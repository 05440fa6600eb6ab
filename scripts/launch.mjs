// `npm start`: builds what changed, then runs the compiled launcher (dist/scripts/start.js).
// Plain JavaScript because it runs before anything is compiled. What it saves over
// `npm run build:server && node dist/scripts/start.js` with a `prestart` hook, on a 2-core machine
// shared with six engineers (BENCHMARKS.md, bench:footprint): a nested npm (≈ 0.4 s), `tsc -b` when
// no input is newer than its project's build info (≈ 0.5–1.4 s to find nothing to do; a stat walk
// here takes ≈ 30 ms), and the web UI's check runs beside the server build instead of before it.
/* global console, process */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Newest modification time of tsc's inputs (.ts, .json) under path (ms), outputs and dependencies aside; 0 if none. */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return /\.(ts|json)$/.test(path) ? st.mtimeMs : 0
  let max = 0
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules' || entry.startsWith('.')) continue
    max = Math.max(max, newest(join(path, entry)))
  }
  return max
}

/**
 * Whether `tsc -b` has anything to do: some project of the root tsconfig has an input (anything in
 * its folder but outputs, or the shared base config) newer than its build info, or no build info.
 * tsc keeps the build info's time current when it finds inputs touched but unchanged.
 */
function serverIsStale() {
  const base = newest(join(ROOT, 'tsconfig.base.json'))
  const { references } = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'))
  return references.some(({ path }) => {
    const dir = join(ROOT, path)
    const { compilerOptions } = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8'))
    const built = statSync(join(dir, compilerOptions.outDir, 'tsconfig.tsbuildinfo'), { throwIfNoEntry: false })
    return !built || Math.max(base, newest(dir)) > built.mtimeMs
  })
}

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' })
    child.once('error', reject)
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${[command, ...args].join(' ')} failed (${signal ?? code})`)),
    )
  })
}

async function buildServer() {
  if (serverIsStale()) {
    console.log('Building the services (tsc -b) …')
    await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'])
  }
  // Cheap, and links a workspace folder added since the last build (scripts/dist-assets.ts).
  await run(process.execPath, [join(ROOT, 'dist', 'scripts', 'dist-assets.js')])
}

try {
  await Promise.all([buildServer(), run(process.execPath, ['--import', 'tsx', join(ROOT, 'web', 'scripts', 'ensure-built.ts')])])
} catch (err) {
  console.error(`Start-up failed: ${err.message}`)
  process.exit(1)
}
// The launcher runs with source maps, as `node --enable-source-maps` would: its stack traces name TypeScript lines.
process.setSourceMapsEnabled(true)
await import(pathToFileURL(join(ROOT, 'dist', 'scripts', 'start.js')).href)
