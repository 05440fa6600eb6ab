import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { createHttpServer, createMetrics } from '@brokerage/platform'
import { captureLogs } from '@brokerage/platform/testing'
import { securityHeaders } from './headers.js'
import { webPlugin } from './web.js'

async function gatewayServing(t: TestContext, files: Record<string, string> | null) {
  const root = await mkdtemp(join(tmpdir(), 'web-dist-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  for (const [path, text] of Object.entries(files ?? {})) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), text)
  }
  const { log } = captureLogs({ service: 'gateway' })
  const app = createHttpServer({ log, metrics: createMetrics({ service: 'gateway' }), service: 'gateway' })
  await app.register(securityHeaders, { corsOrigins: [] })
  app.get('/api/auth/me', async () => ({ me: true }))
  app.get('/docs', async () => 'docs')
  await app.register(webPlugin, files === null ? { root: join(root, 'missing') } : { root })
  t.after(() => app.close())
  return app
}

const BUILT = {
  'index.html': '<!doctype html><div id="root"></div>',
  'assets/index-abc123.js': 'console.log(1)',
  'favicon.svg': '<svg/>',
}

test('when the UI is built, then / and every page path answer index.html with a strict CSP that forbids framing', async (t) => {
  const app = await gatewayServing(t, BUILT)
  for (const url of ['/', '/orders/8f1c2d3e-0000-4000-8000-000000000000', '/customers?page=2', '/markets']) {
    const res = await app.inject({ method: 'GET', url })
    assert.equal(res.statusCode, 200, url)
    assert.match(String(res.headers['content-type']), /text\/html/)
    assert.match(res.body, /id="root"/)
    assert.equal(res.headers['cache-control'], 'no-cache')
    const csp = String(res.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self';/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
    assert.equal(res.headers['x-frame-options'], 'DENY')
  }
})

test('when a hashed asset is asked for, then it is served as a file cached for a year', async (t) => {
  const app = await gatewayServing(t, BUILT)
  const res = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /javascript/)
  assert.match(String(res.headers['cache-control']), /max-age=31536000.*immutable/)
  assert.equal(res.body, 'console.log(1)')
})

test('when a file that does not exist, lies outside the build or is a dotfile is asked for, then 404 in the API shape, never index.html (400 for a malformed path)', async (t) => {
  const app = await gatewayServing(t, BUILT)
  const malformed = await app.inject({ method: 'GET', url: '/%E0%A4%A' })
  assert.equal(malformed.statusCode, 400, malformed.body)
  assert.equal(malformed.json().error.code, 'VALIDATION_FAILED', malformed.body)
  for (const url of ['/assets/missing.js', '/../package.json', '/%2e%2e/%2e%2e/package.json', '/.env', '/assets/.secret.js']) {
    const res = await app.inject({ method: 'GET', url })
    assert.equal(res.statusCode, 404, url)
    assert.equal(res.json().error.code, 'NOT_FOUND', url)
    assert.doesNotMatch(res.body, /id="root"/, url)
  }
})

test('when a Range lies past the end or an If-Match fails, then 416 (with the size) and 412, not a server error', async (t) => {
  const app = await gatewayServing(t, BUILT)
  const url = '/assets/index-abc123.js'
  const past = await app.inject({ method: 'GET', url, headers: { range: 'bytes=1000-2000' } })
  assert.equal(past.statusCode, 416)
  assert.equal(past.headers['content-range'], `bytes */${BUILT['assets/index-abc123.js'].length}`)
  const part = await app.inject({ method: 'GET', url, headers: { range: 'bytes=0-6' } })
  assert.equal(part.statusCode, 206)
  assert.equal(part.body, 'console')
  const failed = await app.inject({ method: 'GET', url, headers: { 'if-match': '"not-this-one"' } })
  assert.equal(failed.statusCode, 412)
})

test('when an API, docs or health path has no route, then the fallback never shadows it: the API 404 shape answers', async (t) => {
  const app = await gatewayServing(t, BUILT)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/auth/me' })).json(), { me: true })
  assert.equal((await app.inject({ method: 'GET', url: '/docs' })).body, 'docs')
  for (const url of ['/api/nothing-here', '/api', '/docs/nope', '/health/whatever', '/.well-known/nope', '/metrics']) {
    const res = await app.inject({ method: 'GET', url })
    assert.equal(res.statusCode, 404, url)
    assert.equal(res.json().error.code, 'NOT_FOUND', url)
  }
})

test('when the UI is not built, then / says how to build it and the API still answers', async (t) => {
  const app = await gatewayServing(t, null)
  const res = await app.inject({ method: 'GET', url: '/' })
  assert.equal(res.statusCode, 503)
  assert.match(res.body, /npm run build/)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/auth/me' })).json(), { me: true })
})

test('when a file is asked for with HEAD or revalidated with its etag, then the headers of a GET, no body, and 304 when unchanged', async (t) => {
  const app = await gatewayServing(t, BUILT)
  const get = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' })
  const head = await app.inject({ method: 'HEAD', url: '/assets/index-abc123.js' })
  assert.equal(head.statusCode, 200)
  assert.equal(head.body, '')
  for (const name of ['content-type', 'content-length', 'cache-control', 'etag', 'last-modified', 'content-security-policy'])
    assert.equal(head.headers[name], get.headers[name], name)

  const again = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'if-none-match': String(get.headers.etag) } })
  assert.equal(again.statusCode, 304)
  assert.equal(again.body, '')
  assert.equal(again.headers.etag, get.headers.etag)
  const page = await app.inject({ method: 'GET', url: '/orders/x', headers: { 'if-modified-since': String(get.headers['last-modified']) } })
  assert.equal(page.statusCode, 304)
  assert.equal(page.headers['cache-control'], 'no-cache')
})
