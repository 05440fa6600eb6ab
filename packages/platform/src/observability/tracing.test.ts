import { after, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api'
import { currentTraceparent, inSpan, initTracing, SpanKind, W3CTraceContext, withTraceparent } from './tracing.js'

const exporter = new InMemorySpanExporter()
const tracing = await initTracing({ service: 'tracing-test', spanProcessors: [new SimpleSpanProcessor(exporter)] })
after(() => tracing.shutdown())
beforeEach(() => exporter.reset())

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/

test('when a span starts inside withTraceparent, then it continues the remote trace with the remote span as parent', async () => {
  const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
  await withTraceparent(parent, () =>
    inSpan('handle OrderCreated', { 'messaging.destination.name': 'orders' }, async () => {}, { kind: SpanKind.CONSUMER }),
  )
  const [span] = exporter.getFinishedSpans()
  assert.ok(span)
  assert.equal(span.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736')
  assert.equal(span.parentSpanContext?.spanId, '00f067aa0ba902b7')
  assert.equal(span.parentSpanContext?.isRemote, true)
  assert.equal(span.kind, SpanKind.CONSUMER)
  assert.equal(span.attributes['messaging.destination.name'], 'orders')
  assert.equal(span.resource.attributes['service.name'], 'tracing-test')
})

test('when currentTraceparent is read across an async boundary, then it names the active span and round-trips', async () => {
  assert.equal(currentTraceparent(), null, 'no span, no traceparent')
  const { outer, afterAwait, inner } = await inSpan('publish', {}, async (span) => {
    const outer = currentTraceparent()
    await new Promise<void>((resolve) => setImmediate(resolve))
    const afterAwait = currentTraceparent()
    assert.equal(afterAwait, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`)
    // What a consumer on the other side of the broker does with the envelope's field:
    const inner = await withTraceparent(afterAwait, () => inSpan('consume', {}, async () => currentTraceparent()))
    return { outer, afterAwait, inner }
  })
  assert.match(outer ?? '', TRACEPARENT)
  assert.equal(afterAwait, outer)
  const [, outerTrace, outerSpan] = TRACEPARENT.exec(outer ?? '') ?? []
  const [, innerTrace, innerSpan] = TRACEPARENT.exec(inner ?? '') ?? []
  assert.equal(innerTrace, outerTrace)
  assert.notEqual(innerSpan, outerSpan)
  const consume = exporter.getFinishedSpans().find((s) => s.name === 'consume')
  assert.equal(consume?.parentSpanContext?.spanId, outerSpan)
})

test('when the wrapped function throws, then the span records the exception, is marked ERROR, ends, and the error propagates', async () => {
  await assert.rejects(
    inSpan('reserve', {}, async () => {
      throw new Error('insufficient funds')
    }),
    /insufficient funds/,
  )
  const [span] = exporter.getFinishedSpans()
  assert.equal(span?.status.code, SpanStatusCode.ERROR)
  assert.equal(span?.status.message, 'insufficient funds')
  assert.equal(span?.events[0]?.name, 'exception')
  assert.equal(trace.getActiveSpan(), undefined, 'the span is no longer active afterwards')
})

test('when withTraceparent gets null or garbage, then fn runs in a fresh root trace', async () => {
  await inSpan('poll loop', {}, async (loop) => {
    for (const tp of [null, 'not-a-traceparent']) {
      const child = await withTraceparent(tp, () => inSpan('handle', {}, async (s) => s.spanContext().traceId))
      assert.notEqual(child, loop.spanContext().traceId)
    }
  })
  const handles = exporter.getFinishedSpans().filter((s) => s.name === 'handle')
  assert.equal(handles.length, 2)
  for (const s of handles) assert.equal(s.parentSpanContext, undefined)
})

test('when initTracing is called again, then it returns the first registration', async () => {
  assert.equal(await initTracing({ service: 'other' }), tracing)
})

test('when trace-context headers of every shape go through the platform propagator, then it reads and writes what @opentelemetry/core does', async () => {
  const { W3CTraceContextPropagator } = await import('@opentelemetry/core')
  const core = new W3CTraceContextPropagator()
  const ours = new W3CTraceContext()
  const getter = { get: (c: Record<string, string | string[]>, k: string) => c[k], keys: (c: Record<string, string>) => Object.keys(c) }
  const setter = { set: (c: Record<string, string>, k: string, v: string) => (c[k] = v) }
  const ID = '4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'
  const carriers: Array<Record<string, string | string[]>> = [
    { traceparent: `00-${ID}-01` },
    { traceparent: `00-${ID}-00`, tracestate: 'a=1,b=2' },
    { traceparent: [`00-${ID}-01`, 'junk'], tracestate: ['a=1', 'b=2'] },
    { traceparent: ` 00-${ID}-01 ` },
    { traceparent: `01-${ID}-01-extra` },
    { traceparent: `00-${ID}-01-extra` },
    { traceparent: `ff-${ID}-01` },
    { traceparent: `00-00000000000000000000000000000000-00f067aa0ba902b7-01` },
    { traceparent: `00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01` },
    { traceparent: `00-${ID.toUpperCase()}-01` },
    { traceparent: 'nonsense' },
    {},
  ]
  for (const carrier of carriers) {
    const a = ours.extract(ROOT_CONTEXT, carrier, getter)
    const b = core.extract(ROOT_CONTEXT, carrier, getter)
    const view = (ctx: typeof a) => {
      const sc = trace.getSpanContext(ctx)
      return sc && { ...sc, traceState: sc.traceState?.serialize() }
    }
    assert.deepEqual(view(a), view(b), JSON.stringify(carrier))
    const outA: Record<string, string> = {}
    const outB: Record<string, string> = {}
    ours.inject(a, outA, setter)
    core.inject(b, outB, setter)
    assert.deepEqual(outA, outB, JSON.stringify(carrier))
  }
  assert.deepEqual(ours.fields(), core.fields())
})
