// The image is never built here (no container engine): what can be checked without one is
// checked for real: the entry point's choice of service, the health check against a live
// HTTP server, and the Dockerfile's promises (Node 24, non-root, production dependencies only).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { TOPOLOGY } from '../../scripts/topology.js'

const file = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

function run(cmd: string, args: string[], env: Record<string, string>) {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH!, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })))
}

test('when the entry point is given no service or an unknown one, then it exits 64 naming every service', async () => {
  for (const args of [[], ['no-such-service']]) {
    const { code, stderr } = await run(file('deploy/docker/entrypoint.sh'), args, {})
    assert.equal(code, 64)
    for (const s of TOPOLOGY) assert.match(stderr, new RegExp(`\\b${s.name}\\b`))
  }
})

test('when the service answers /health/ready with 200, then the health check passes; with 503 or nothing listening, it fails', async (t) => {
  let status = 200
  const paths: string[] = []
  const server = createServer((req, res) => {
    paths.push(req.url!)
    res.writeHead(status).end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  t.after(() => server.close())
  const port = String((server.address() as AddressInfo).port)
  const check = (env: Record<string, string>) => run(process.execPath, [file('deploy/docker/healthcheck.mjs')], env)

  assert.equal((await check({ HTTP_PORT: port })).code, 0)
  // The gateway sets PORT, not HTTP_PORT.
  assert.equal((await check({ PORT: port })).code, 0)
  status = 503
  assert.equal((await check({ HTTP_PORT: port })).code, 1)
  assert.deepEqual(paths, ['/health/ready', '/health/ready', '/health/ready'])
  server.close()
  assert.equal((await check({ HTTP_PORT: port })).code, 1)
})

test('when the Dockerfile is read, then it builds on Node 24, runs compiled code as a non-root user with production dependencies only, and has a health check', async () => {
  const text = await readFile(file('Dockerfile'), 'utf8')
  const stages = [...text.matchAll(/^FROM (\S+) AS (\S+)$/gm)].map((m) => ({ image: m[1]!, name: m[2]! }))
  assert.ok(stages.length >= 2, 'multi-stage')
  assert.match(text, /^ARG NODE_VERSION=24$/m)
  for (const s of stages) assert.equal(s.image, 'node:${NODE_VERSION}-bookworm-slim')
  const runtime = text.slice(text.lastIndexOf('\nFROM '))
  assert.match(runtime, /^USER 1000:1000$/m)
  assert.match(runtime, /^HEALTHCHECK .*healthcheck\.mjs/m)
  assert.match(runtime, /ENV NODE_ENV=production/)
  assert.match(text, /npm ci --omit=dev/)
  assert.match(text, /npm run build/)
  const entry = await readFile(file('deploy/docker/entrypoint.sh'), 'utf8')
  assert.match(entry, /exec node .*"\$main"/)
  assert.match(entry, /services\/\$\{service\}\/dist\/src\/main\.js/)
})
