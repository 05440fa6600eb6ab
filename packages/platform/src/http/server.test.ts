import { after, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { AddressInfo } from 'node:net'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { AppError } from '../errors.js'
import { addLogFields } from '../observability/log.js'
import { captureLogs } from '../observability/log-capture.js'
import { createMetrics } from '../observability/metrics.js'
import { currentTraceparent, initTracing } from '../observability/tracing.js'
import { createHttpServer } from './server.js'

const spans = new InMemorySpanExporter()
const tracing = await initTracing({ service: 'http-test', spanProcessors: [new SimpleSpanProcessor(spans)] })
after(() => tracing.shutdown())
beforeEach(() => spans.reset())

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** A server with a few representative routes; closed when the test ends. */
function createTestServer(t: TestContext, opts: { bodyLimit?: number } = {}) {
  const { log, lines, raw } = captureLogs({ service: 'http-test' })
  const metrics = createMetrics({ service: 'http-test', defaultMetrics: false })
  const app = createHttpServer({ log, metrics, service: 'http-test', ...opts })
  app.addHook('preHandler', async (req) => {
    // What an authentication hook does once it knows who is calling.
    if (req.headers['x-customer'] !== undefined) addLogFields({ customerId: String(req.headers['x-customer']) })
  })
  app.get('/things/:id', async (req) => {
    req.log.info({ orderId: 'o-1' }, 'handling')
    return { traceparent: currentTraceparent() }
  })
  app.post(
    '/orders',
    {
      schema: {
        body: {
          type: 'object',
          required: ['assetName', 'size'],
          properties: { assetName: { type: 'string' }, size: { type: 'integer', minimum: 1 }, price: { type: 'integer' } },
        },
      },
    },
    async (req, reply) => {
      await new Promise<void>((resolve) => setImmediate(resolve))
      log.info('accepted order')
      return reply.code(202).send({ received: req.body, traceparent: currentTraceparent() })
    },
  )
  app.get('/missing', async () => {
    throw new AppError('NOT_FOUND', 'Order not found')
  })
  app.get('/limited', async () => {
    throw new AppError('RATE_LIMITED', 'Too many requests', { retryAfterSeconds: 2.2, details: { limit: 10 } })
  })
  app.get('/boom', async () => {
    throw new Error('db password is hunter2')
  })
  t.after(() => app.close())
  return { app, lines, raw, metrics }
}

test('when a request carries a valid X-Request-Id, then it is echoed, logged and used in the error body', async (t) => {
  const { app, lines } = createTestServer(t)
  const res = await app.inject({ method: 'GET', url: '/missing', headers: { 'x-request-id': 'client-42.a_b' } })
  assert.equal(res.headers['x-request-id'], 'client-42.a_b')
  assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'Order not found' }, requestId: 'client-42.a_b' })
  const done = lines.find((l) => l['msg'] === 'request completed')
  assert.equal(done?.['requestId'], 'client-42.a_b')
})

test('when the incoming X-Request-Id is missing, too long or unsafe, then a UUID replaces it', async (t) => {
  const { app } = createTestServer(t)
  for (const header of [undefined, 'x'.repeat(129), 'bad id', 'a\u00e9b', '<script>']) {
    const res = await app.inject({ method: 'GET', url: '/things/1', headers: header === undefined ? {} : { 'x-request-id': header } })
    assert.match(String(res.headers['x-request-id']), UUID, `for ${JSON.stringify(header)}`)
  }
  const ok = await app.inject({ method: 'GET', url: '/things/1', headers: { 'x-request-id': 'x'.repeat(128) } })
  assert.equal(ok.headers['x-request-id'], 'x'.repeat(128))
})

test('when a request carries a traceparent, then the server span continues it and the handler runs inside it', async (t) => {
  const { app } = createTestServer(t)
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  const res = await app.inject({ method: 'GET', url: '/things/7?secret=1', headers: { traceparent: incoming } })
  assert.equal(res.statusCode, 200)
  const [span] = spans.getFinishedSpans()
  assert.ok(span)
  assert.equal(span.name, 'GET /things/:id')
  assert.equal(span.kind, SpanKind.SERVER)
  assert.equal(span.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736')
  assert.equal(span.parentSpanContext?.spanId, '00f067aa0ba902b7')
  assert.equal(span.attributes['http.route'], '/things/:id')
  assert.equal(span.attributes['url.path'], '/things/7')
  assert.equal(span.attributes['http.response.status_code'], 200)
  assert.equal(res.json().traceparent, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`)
})

test('when a handler logs after the body is parsed and an await, then the line carries requestId, trace ids and fields added by hooks', async (t) => {
  const { app, lines } = createTestServer(t)
  const res = await app.inject({
    method: 'POST',
    url: '/orders',
    headers: { 'x-request-id': 'req-1', 'x-customer': 'c-9' },
    payload: { assetName: 'AAPL', size: 3 },
  })
  assert.equal(res.statusCode, 202)
  const [span] = spans.getFinishedSpans()
  const inHandler = lines.find((l) => l['msg'] === 'accepted order')
  assert.equal(inHandler?.['requestId'], 'req-1')
  assert.equal(inHandler?.['customerId'], 'c-9')
  assert.equal(inHandler?.['traceId'], span?.spanContext().traceId)
  assert.equal(inHandler?.['spanId'], span?.spanContext().spanId)
  assert.equal(res.json().traceparent.split('-')[1], span?.spanContext().traceId)
  const done = lines.find((l) => l['msg'] === 'request completed')
  assert.deepEqual(
    [done?.['requestId'], done?.['customerId'], done?.['method'], done?.['route'], done?.['status'], typeof done?.['durationMs']],
    ['req-1', 'c-9', 'POST', '/orders', 202, 'number'],
  )
})

test('when a large body arrives over a real socket, then the handler still runs in the request scope', async (t) => {
  // A real socket is the point: body chunks arrive from socket callbacks, not from inject().
  const { app, lines } = createTestServer(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const res = await fetch(`http://127.0.0.1:${port}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': 'sock-1' },
    body: JSON.stringify({ assetName: 'A'.repeat(500_000), size: 1 }),
  })
  assert.equal(res.status, 202)
  const body = (await res.json()) as { traceparent: string }
  const [span] = spans.getFinishedSpans()
  assert.equal(body.traceparent.split('-')[2], span?.spanContext().spanId)
  assert.equal(lines.find((l) => l['msg'] === 'accepted order')?.['requestId'], 'sock-1')
})

test('when request.log is used in a handler, then the line has requestId exactly once and the call-site fields', async (t) => {
  const { app, lines, raw } = createTestServer(t)
  await app.inject({ method: 'GET', url: '/things/1', headers: { 'x-request-id': 'r-log' } })
  const written = raw.filter((l) => l.includes('"r-log"'))
  assert.ok(written.length >= 2, 'the handler line and the request line')
  for (const l of written) assert.equal(l.match(/"requestId"/g)?.length, 1, l)
  const line = lines.find((l) => l['msg'] === 'handling')
  assert.equal(line?.['requestId'], 'r-log')
  assert.equal(line?.['orderId'], 'o-1')
  assert.equal(line?.['reqId'], undefined)
})

test('when requests are served, then the request histogram counts them by method, route template and status', async (t) => {
  const { app, metrics } = createTestServer(t)
  await app.inject({ method: 'GET', url: '/things/1' })
  await app.inject({ method: 'GET', url: '/things/2' })
  await app.inject({ method: 'GET', url: '/no/such/path/123' })
  const text = await metrics.registry.metrics()
  assert.match(text, /http_request_duration_seconds_count\{[^}]*method="GET",route="\/things\/:id",status="200"[^}]*\} 2/)
  assert.match(text, /http_request_duration_seconds_count\{[^}]*route="\(unmatched\)",status="404"[^}]*\} 1/)
  assert.doesNotMatch(text, /no\/such\/path/)
})

test('when the body fails schema validation, then 400 VALIDATION_FAILED lists every bad field', async (t) => {
  const { app } = createTestServer(t)
  const res = await app.inject({ method: 'POST', url: '/orders', headers: { 'x-request-id': 'v-1' }, payload: { size: 0, price: 'ten' } })
  assert.equal(res.statusCode, 400)
  const body = res.json()
  assert.equal(body.error.code, 'VALIDATION_FAILED')
  assert.equal(body.requestId, 'v-1')
  const fields = body.error.details.map((d: { field: string }) => d.field).sort()
  assert.deepEqual(fields, ['body.assetName', 'body.price', 'body.size'])
  for (const d of body.error.details) assert.equal(typeof d.message, 'string')
})

test('when the body is not JSON or not an accepted type, then 400 and 415 answer in the error shape', async (t) => {
  const { app } = createTestServer(t)
  const bad = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/json' }, payload: '{"size":' })
  assert.equal(bad.statusCode, 400)
  assert.equal(bad.json().error.code, 'VALIDATION_FAILED')
  const xml = await app.inject({ method: 'POST', url: '/orders', headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
  assert.equal(xml.statusCode, 415)
  assert.equal(xml.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
  assert.match(xml.json().requestId, UUID)
})

test('when the body is larger than the limit, then 413 PAYLOAD_TOO_LARGE', async (t) => {
  const { app } = createTestServer(t, { bodyLimit: 64 })
  const res = await app.inject({ method: 'POST', url: '/orders', payload: { assetName: 'A'.repeat(100), size: 1 } })
  assert.equal(res.statusCode, 413)
  assert.equal(res.json().error.code, 'PAYLOAD_TOO_LARGE')
})

test('when no route matches, then 404 NOT_FOUND in the error shape', async (t) => {
  const { app } = createTestServer(t)
  const res = await app.inject({ method: 'DELETE', url: '/nowhere?x=1', headers: { 'x-request-id': 'nf' } })
  assert.equal(res.statusCode, 404)
  assert.deepEqual(res.json(), { error: { code: 'NOT_FOUND', message: 'Route DELETE /nowhere not found' }, requestId: 'nf' })
  assert.equal(res.headers['x-request-id'], 'nf')
})

test('when an AppError carries a retry hint, then the status, details and Retry-After follow it', async (t) => {
  const { app } = createTestServer(t)
  const res = await app.inject({ method: 'GET', url: '/limited' })
  assert.equal(res.statusCode, 429)
  assert.equal(res.headers['retry-after'], '3')
  assert.deepEqual(res.json().error, { code: 'RATE_LIMITED', message: 'Too many requests', details: { limit: 10 } })
})

test('when a handler throws an unexpected error, then 500 INTERNAL hides it from the client and logs it with the request id', async (t) => {
  const { app, lines } = createTestServer(t)
  const res = await app.inject({ method: 'GET', url: '/boom', headers: { 'x-request-id': 'b-1' } })
  assert.equal(res.statusCode, 500)
  assert.deepEqual(res.json(), { error: { code: 'INTERNAL', message: 'Internal server error' }, requestId: 'b-1' })
  assert.doesNotMatch(res.body, /hunter2/)
  const logged = lines.find((l) => l['msg'] === 'request failed')
  assert.equal(logged?.['level'], 'error')
  assert.equal(logged?.['requestId'], 'b-1')
  assert.match(String((logged?.['err'] as { message?: string } | undefined)?.message), /hunter2/)
  const [span] = spans.getFinishedSpans()
  assert.equal(span?.status.code, SpanStatusCode.ERROR)
  assert.equal(span?.events[0]?.name, 'exception')
})

test('when a server starts and serves, then fastify prints no deprecation warning and logs one line per request', async (t) => {
  const warnings: Error[] = []
  const onWarning = (w: Error) => void warnings.push(w)
  process.on('warning', onWarning)
  t.after(() => process.off('warning', onWarning))
  const { app, lines } = createTestServer(t)
  // Warnings are emitted on the next tick; the request's round trip outlasts it.
  await app.inject({ method: 'GET', url: '/things/1' })
  assert.deepEqual(
    warnings.filter((w) => w.name === 'FastifyDeprecation').map((w) => (w as Error & { code?: string }).code),
    [],
  )
  assert.deepEqual(
    lines.map((l) => l['msg']).filter((m) => m !== 'handling'),
    ['request completed'],
  )
})
