import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startGateway } from './support.js'

// Browser-facing headers and the operations port of the gateway (issue 16, points 5 and 6).

const APP = 'https://app.example.com'

test('headers and CORS', async (t) => {
  const gw = await startGateway(t, { gateway: { corsOrigins: [APP] } })
  const { c1 } = await gw.tokens()

  await t.test('when any API answer goes out, then it carries nosniff and no-store, errors and 404s too', async () => {
    for (const res of [
      await gw.request('GET', '/api/auth/me', { token: c1 }),
      await gw.request('GET', '/api/auth/me'),
      await gw.request('GET', '/api/nothing-here', { token: c1 }),
    ]) {
      assert.equal(res.headers['x-content-type-options'], 'nosniff', res.body)
      assert.equal(res.headers['cache-control'], 'no-store', res.body)
    }
    assert.equal((await gw.request('GET', '/.well-known/jwks.json')).headers['x-content-type-options'], 'nosniff')
  })

  await t.test('when TLS is off, then no HSTS header is sent', async () => {
    assert.equal((await gw.request('GET', '/api/auth/me', { token: c1 })).headers['strict-transport-security'], undefined)
  })

  await t.test('when an allowed origin sends a preflight, then 204 names the methods and headers it may use, without a token', async () => {
    const res = await gw.request('OPTIONS', '/api/orders', {
      headers: { origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    assert.equal(res.statusCode, 204, res.body)
    assert.equal(res.headers['access-control-allow-origin'], APP)
    assert.match(String(res.headers['access-control-allow-methods']), /POST/)
    assert.match(String(res.headers['access-control-allow-headers']), /authorization/)
    assert.match(String(res.headers['vary']), /Origin/)
  })

  await t.test('when an allowed origin calls, then the answer allows it and exposes the headers clients act on', async () => {
    const res = await gw.request('GET', '/api/auth/me', { token: c1, headers: { origin: APP } })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['access-control-allow-origin'], APP)
    assert.match(String(res.headers['access-control-expose-headers']), /retry-after/)
  })

  await t.test('when another origin calls or sends a preflight, then nothing allows it', async () => {
    const call = await gw.request('GET', '/api/auth/me', { token: c1, headers: { origin: 'https://evil.example.com' } })
    assert.equal(call.headers['access-control-allow-origin'], undefined)
    const preflight = await gw.request('OPTIONS', '/api/orders', {
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    })
    assert.equal(preflight.headers['access-control-allow-origin'], undefined)
    assert.notEqual(preflight.statusCode, 204)
  })
})

test('when CORS_ORIGINS is empty (the default), then no origin is allowed', async (t) => {
  const gw = await startGateway(t)
  const res = await gw.request('OPTIONS', '/api/orders', { headers: { origin: APP, 'access-control-request-method': 'GET' } })
  assert.equal(res.headers['access-control-allow-origin'], undefined)
})

test('when the gateway sits behind TLS, then every answer carries HSTS', async (t) => {
  const gw = await startGateway(t, { gateway: { publicUrl: 'https://api.example.com' } })
  const res = await gw.request('GET', '/api/auth/me')
  assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/)
})

test('when /metrics or the detailed readiness is asked on the public port, then 404 and a bare status; the ops port has both', async (t) => {
  const gw = await startGateway(t)
  const publicUrl = `http://127.0.0.1:${gw.gw.runtime.ports.http}`
  const opsUrl = `http://127.0.0.1:${gw.gw.runtime.ports.ops}`
  assert.notEqual(gw.gw.runtime.ports.ops, 0)
  assert.notEqual(gw.gw.runtime.ports.ops, gw.gw.runtime.ports.http)

  assert.equal((await fetch(`${publicUrl}/metrics`)).status, 404)
  const ready = await fetch(`${publicUrl}/health/ready`)
  assert.equal(ready.status, 200)
  assert.deepEqual(await ready.json(), { status: 'ok' })
  assert.equal((await fetch(`${publicUrl}/health/live`)).status, 200)

  const metrics = await fetch(`${opsUrl}/metrics`)
  assert.equal(metrics.status, 200)
  assert.match(await metrics.text(), /http_request_duration_seconds/)
  const detailed = (await (await fetch(`${opsUrl}/health/ready`)).json()) as { checks?: Record<string, unknown> }
  assert.deepEqual(Object.keys(detailed.checks ?? {}).sort(), ['broker', 'db'])
  // Nothing of the API is served on the ops port.
  assert.equal((await fetch(`${opsUrl}/api/auth/me`)).status, 404)
})
