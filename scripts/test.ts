// Runs the whole test suite against one embedded PostgreSQL started for the run
// (each test file then creates its own databases on it), and stops it after.
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmbeddedPostgres } from '@brokerage/platform/postgres/embedded'
import { freePort } from '@brokerage/platform/testing'

// Node 20's test runner does not expand globs, so the files are found here.
async function testFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  const nested = await Promise.all(
    entries.map((e) => {
      const path = join(dir, e.name)
      if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : testFiles(path)
      return e.name.endsWith('.test.ts') ? [path] : []
    }),
  )
  return nested.flat().sort()
}

const args = process.argv.slice(2)
const files = (
  await Promise.all((args.length ? args : ['packages', 'services', 'tests', 'web']).map((a) => (a.endsWith('.ts') ? [a] : testFiles(a))))
).flat()

let url = process.env.TEST_DATABASE_URL
let stop = async () => {}
if (!url) {
  const dir = await mkdtemp(join(tmpdir(), 'brokerage-test-pg-'))
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false })
  url = server.url
  stop = async () => {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

// Tests run on the TypeScript sources: `--conditions=source` picks the workspace packages' `source`
// export (src/*.ts) over the compiled default (dist/*.js), in the test files and in every tsx
// process they start (NODE_OPTIONS is inherited); scripts/platform.ts removes it for the compiled services.
const nodeOptions = [process.env.NODE_OPTIONS, '--conditions=source'].filter(Boolean).join(' ')
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  env: { ...process.env, TEST_DATABASE_URL: url, NODE_OPTIONS: nodeOptions },
})
const code: number = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))))
await stop()
process.exit(code)
