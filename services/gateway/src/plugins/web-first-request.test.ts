import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createHttpServer, createMetrics } from '@brokerage/platform'
import { captureLogs } from '@brokerage/platform/testing'
import { securityHeaders } from './headers.js'
import { webPlugin } from './web.js'

// Its own file, so its own process: nothing else here may have loaded the files plugin.
const STATIC = createRequire(import.meta.url).resolve('@fastify/static')
const loaded = () => STATIC in createRequire(import.meta.url).cache

test('when the gateway has started and answered the API, then the files plugin is loaded only by the first web request', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'web-dist-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  await mkdir(join(root, 'assets'))
  await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>')
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)')
  const { log } = captureLogs({ service: 'gateway' })
  const app = createHttpServer({ log, metrics: createMetrics({ service: 'gateway' }), service: 'gateway' })
  t.after(() => app.close())
  await app.register(securityHeaders, { corsOrigins: [] })
  app.get('/api/auth/me', async () => ({ me: true }))
  await app.register(webPlugin, { root })
  await app.ready()

  assert.equal(loaded(), false, 'loaded at start')
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/auth/me' })).json(), { me: true })
  assert.equal((await app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode, 404)
  assert.equal(loaded(), false, 'loaded by an API request')

  // Two first requests at once share one private instance.
  const [page, asset] = await Promise.all([
    app.inject({ method: 'GET', url: '/orders/x' }),
    app.inject({ method: 'GET', url: '/assets/index-abc123.js' }),
  ])
  assert.equal(loaded(), true)
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /id="root"/)
  assert.equal(page.headers['cache-control'], 'no-cache')
  assert.match(String(page.headers['content-security-policy']), /frame-ancestors 'none'/)
  assert.equal(asset.body, 'console.log(1)')
  assert.match(String(asset.headers['cache-control']), /immutable/)
})
