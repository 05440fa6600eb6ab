/// <reference types="node" />
// Builds the web UI when web/dist is missing or older than its sources, so `npm start` on a
// fresh clone (or after a pull) serves the current UI, and costs a few stat calls otherwise.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const sources = [
  join(web, 'src'),
  join(web, 'public'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(web, 'package.json'),
  join(web, '..', 'packages', 'contracts', 'src', 'vocabulary.ts'),
]

function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return st.mtimeMs
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))))
}

export function webIsStale(): boolean {
  const built = statSync(join(web, 'dist', 'index.html'), { throwIfNoEntry: false })
  return !built || Math.max(...sources.map(newest)) > built.mtimeMs
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (webIsStale()) {
    console.log('Building the web UI (web/dist) …')
    const r = spawnSync('npm', ['run', 'build', '-w', '@brokerage/web'], { cwd: join(web, '..'), stdio: 'inherit' })
    process.exit(r.status ?? 1)
  }
}
