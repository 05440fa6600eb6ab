// Its own file (so its own process): initTracing registers globals once per process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inSpan, initTracing } from './tracing.js'

test('when an exporter URL is given, then finished spans are POSTed there as OTLP/HTTP', async (t) => {
  let resolveBody: (b: { path: string | undefined; body: string }) => void = () => {}
  const received = new Promise<{ path: string | undefined; body: string }>((resolve) => (resolveBody = resolve))
  // A real socket is the point: the exporter must actually reach a collector.
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      resolveBody({ path: req.url, body: Buffer.concat(chunks).toString('utf8') })
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => collector.close(() => resolve())))
  const { port } = collector.address() as AddressInfo

  const tracing = await initTracing({ service: 'otlp-test', exporterUrl: `http://127.0.0.1:${port}` })
  const traceId = await inSpan('exported span', {}, async (span) => span.spanContext().traceId)
  await tracing.shutdown() // flushes the batch processor

  const { path, body } = await received
  assert.equal(path, '/v1/traces')
  assert.ok(body.includes('exported span'), 'span name is in the payload')
  assert.ok(body.includes('otlp-test'), 'service name is in the resource')
  assert.ok(body.includes(traceId), 'trace id is in the payload')
})
