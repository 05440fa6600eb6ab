// Its own file (so its own process): initTracing registers globals once per process, and
// here it registers them as a service without OTEL_EXPORTER_OTLP_ENDPOINT does.
import { after, test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { trace } from '@opentelemetry/api'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec } from '../events/codec.js'
import { createOutbox } from '../events/outbox.js'
import { EVENT_HEADERS } from '../events/types.js'
import { createGrpcClient } from '../grpc/client.js'
import { grpcService } from '../grpc/load.js'
import { createGrpcServer } from '../grpc/server.js'
import { testGrpcTls } from '../testing.js'
import { createHttpServer } from '../http/server.js'
import type { Queryable } from '../postgres/db.js'
import { createLogger } from './log.js'
import { captureLogs } from './log-capture.js'
import { createMetrics } from './metrics.js'
import { currentTraceparent, inSpan, initTracing, withTraceparent } from './tracing.js'

const tracing = await initTracing({ service: 'no-exporter-test' })
after(() => tracing.shutdown())

test('when no exporter is configured, then the OpenTelemetry SDK, its exporter and resources are never loaded', () => {
  const loaded = Object.keys(createRequire(import.meta.url).cache)
  const sdk = loaded.filter((f) => /[\\/]@opentelemetry[\\/](sdk-|exporter-|resources|core|otlp-)/.test(f))
  assert.deepEqual(sdk, [])
})

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_SPAN = '00f067aa0ba902b7'
const INCOMING = `00-${TRACE_ID}-${PARENT_SPAN}-01`
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/

const parts = (tp: string | null | undefined) => {
  const m = TRACEPARENT.exec(tp ?? '')
  assert.ok(m, `not a traceparent: ${String(tp)}`)
  return { traceId: m[1]!, spanId: m[2]!, flags: m[3]! }
}

test('when no exporter is configured, then spans record nothing yet continue the incoming trace with span ids of their own', async () => {
  const seen = await withTraceparent(INCOMING, () =>
    inSpan('handle', {}, async (outer) => {
      const here = currentTraceparent()
      await new Promise<void>((resolve) => setImmediate(resolve))
      const afterAwait = currentTraceparent()
      const inner = await inSpan('nested', {}, async () => currentTraceparent())
      return { recording: outer.isRecording(), here, afterAwait, inner }
    }),
  )
  assert.equal(seen.recording, false)
  const [here, inner] = [parts(seen.here), parts(seen.inner)]
  assert.deepEqual({ traceId: here.traceId, flags: here.flags }, { traceId: TRACE_ID, flags: '01' })
  assert.notEqual(here.spanId, PARENT_SPAN)
  assert.equal(seen.afterAwait, seen.here)
  assert.equal(inner.traceId, TRACE_ID)
  assert.notEqual(inner.spanId, here.spanId)
  assert.equal(currentTraceparent(), null, 'no span, no traceparent')
})

test('when no traceparent arrives and no exporter is configured, then a span starts a new sampled trace', async () => {
  const [a, b] = await Promise.all([inSpan('a', {}, async () => currentTraceparent()), inSpan('b', {}, async () => currentTraceparent())])
  assert.equal(parts(a).flags, '01')
  assert.notEqual(parts(a).traceId, parts(b).traceId)
  // An unsampled caller stays unsampled downstream.
  const unsampled = await withTraceparent(`00-${TRACE_ID}-${PARENT_SPAN}-00`, () => inSpan('c', {}, async () => currentTraceparent()))
  assert.deepEqual({ traceId: parts(unsampled).traceId, flags: parts(unsampled).flags }, { traceId: TRACE_ID, flags: '00' })
})

/** A processor service on a real gRPC server that records the metadata each call brings. */
async function processorStandIn(t: TestContext) {
  const traceparents: string[] = []
  const server = createGrpcServer({ log: createLogger({ service: 'no-exporter-test', level: 'silent' }), tls: testGrpcTls() })
  server.addService(grpcService('processor'), {
    async ListMarkets(_request, ctx) {
      traceparents.push(String(ctx.metadata.get('traceparent')[0]))
      return { markets: [] }
    },
    async SetMarket() {
      throw new Error('not used')
    },
    async GetOrderBook() {
      throw new Error('not used')
    },
  })
  const port = await server.listen(0)
  const client = createGrpcClient(grpcService('processor'), `127.0.0.1:${port}`, { tls: testGrpcTls() })
  t.after(async () => {
    client.close()
    await server.stop(100)
  })
  return { client, traceparents }
}

test('when a request brings a traceparent and no exporter is configured, then gRPC metadata, the event envelope and the log carry its trace', async (t) => {
  const processor = await processorStandIn(t)
  const codec = createEventCodec()
  const outbox = createOutbox(codec)
  // The outbox's INSERT, caught instead of sent: its headers column is the envelope's.
  const inserted: unknown[][] = []
  const tx: Queryable = {
    async query(_text: string, values?: unknown[]) {
      inserted.push(values ?? [])
      return { rows: [], rowCount: 0, command: 'INSERT', oid: 0, fields: [] }
    },
  }
  const { log, lines } = captureLogs({ service: 'no-exporter-test' })
  const app = createHttpServer({
    log,
    metrics: createMetrics({ service: 'no-exporter-test', defaultMetrics: false }),
    service: 'no-exporter-test',
  })
  app.post('/deposits', async (req) => {
    await processor.client.call('ListMarkets', {})
    const customerId = randomUUID()
    await outbox.add(
      tx,
      newEnvelope('DepositRequested', {
        movementId: randomUUID(),
        customerId,
        assetName: 'TRY',
        amount: 100,
        requestedAt: new Date().toISOString(),
      }),
    )
    req.log.info('deposit requested')
    return { traceparent: currentTraceparent(), recording: trace.getActiveSpan()?.isRecording() }
  })
  t.after(() => app.close())

  const res = await app.inject({ method: 'POST', url: '/deposits', headers: { traceparent: INCOMING } })
  assert.equal(res.statusCode, 200, res.body)
  const { traceparent, recording } = res.json() as { traceparent: string; recording: boolean }
  assert.equal(recording, false)
  assert.equal(parts(traceparent).traceId, TRACE_ID)

  assert.equal(parts(processor.traceparents[0]).traceId, TRACE_ID)
  const headers = JSON.parse((inserted[0]![3] as string[])[0]!) as Record<string, string>
  assert.equal(parts(headers[EVENT_HEADERS.traceparent]).traceId, TRACE_ID)
  assert.equal(lines.find((l) => l['msg'] === 'deposit requested')?.['traceId'], TRACE_ID)
})
