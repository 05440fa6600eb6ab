import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api'
import type { Attributes, Context, Span, SpanOptions, Tracer, TracerProvider } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, RandomIdGenerator } from '@opentelemetry/sdk-trace-base'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'

export interface TracingOptions {
  service: string
  /**
   * OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`; a bare origin gets
   * `/v1/traces` appended). Without it (and without spanProcessors) spans record nothing
   * and cost next to nothing, yet still get real ids: logs carry the trace id, and the
   * event envelope and gRPC metadata carry the traceparent, as with an exporter.
   */
  exporterUrl?: string
  /** Extra processors, e.g. an in-memory exporter in tests. */
  spanProcessors?: SpanProcessor[]
}

export interface Tracing {
  /** Flushes pending spans and unregisters, so initTracing may run again. */
  shutdown(): Promise<void>
}

let active: Tracing | undefined

/**
 * Registers the global tracer provider, the AsyncLocalStorage context manager and the
 * W3C trace-context propagator. Idempotent: later calls return the first registration
 * (a process is one service), whatever options they pass.
 */
export function initTracing(opts: TracingOptions): Tracing {
  if (active) return active
  const processors = [...(opts.spanProcessors ?? [])]
  if (opts.exporterUrl) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(opts.exporterUrl) })))
  const contextManager = new AsyncLocalStorageContextManager()
  const propagator = new W3CTraceContextPropagator()
  let provider: NodeTracerProvider | undefined
  if (processors.length) {
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
      spanProcessors: processors,
    })
    provider.register({ contextManager, propagator })
  } else {
    // Nothing would ever read a recorded span: the SDK's attributes, events, timing and
    // processors were about 5 % of a service's CPU for nothing.
    trace.setGlobalTracerProvider(idOnlyProvider)
    context.setGlobalContextManager(contextManager.enable())
    propagation.setGlobalPropagator(propagator)
  }
  const handle: Tracing = {
    async shutdown() {
      if (active !== handle) return
      active = undefined
      await provider?.shutdown()
      trace.disable()
      context.disable()
      propagation.disable()
    },
  }
  active = handle
  return handle
}

function tracesUrl(url: string): string {
  const u = new URL(url)
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces'
  return u.toString()
}

/**
 * A tracer whose spans only carry ids: a child continues its parent's trace (and sampling
 * flag), a root starts a sampled trace, as the SDK's default sampler would; everything a
 * span would record is dropped (the API's non-recording span).
 */
class IdOnlyTracer implements Tracer {
  private readonly ids = new RandomIdGenerator()

  startSpan(_name: string, opts: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = opts.root ? undefined : trace.getSpanContext(ctx)
    const continues = parent !== undefined && isSpanContextValid(parent)
    return trace.wrapSpanContext({
      traceId: continues ? parent.traceId : this.ids.generateTraceId(),
      spanId: this.ids.generateSpanId(),
      traceFlags: continues ? parent.traceFlags : TraceFlags.SAMPLED,
    })
  }

  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, opts: SpanOptions, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(name: string, opts: SpanOptions, ctx: Context, fn: F): ReturnType<F>
  startActiveSpan<F extends (span: Span) => ReturnType<F>>(
    name: string,
    ...args: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = args.at(-1) as F
    const opts = args.length > 1 ? (args[0] as SpanOptions) : {}
    const parent = (args.length > 2 ? (args[1] as Context | undefined) : undefined) ?? context.active()
    const span = this.startSpan(name, opts, parent)
    return context.with(trace.setSpan(parent, span), fn, undefined, span)
  }
}

const idOnlyTracer = new IdOnlyTracer()
const idOnlyProvider: TracerProvider = { getTracer: () => idOnlyTracer }

// Used directly rather than through the global propagator: the event envelope's
// `traceparent` is W3C by contract, whatever a process registers globally.
const w3c = new W3CTraceContextPropagator()

/** The W3C traceparent of the active span, for the event envelope; null outside a span. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {}
  w3c.inject(context.active(), carrier, defaultTextMapSetter)
  return carrier['traceparent'] ?? null
}

/**
 * The context a remote traceparent (an event envelope, an HTTP header) describes. It is
 * built on the ROOT context, not the active one: a consumed event belongs to its
 * producer's trace, never to whatever the polling loop happens to be running in.
 */
export function contextFromTraceparent(traceparent: string | null | undefined, tracestate?: string): Context {
  if (!traceparent) return ROOT_CONTEXT
  const carrier: Record<string, string> = { traceparent }
  if (tracestate) carrier['tracestate'] = tracestate
  return w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter)
}

/** Runs fn in the remote context of `traceparent` (a fresh root when null or invalid). */
export function withTraceparent<T>(traceparent: string | null, fn: () => T): T {
  return context.with(contextFromTraceparent(traceparent), fn)
}

export function tracer(name: string): Tracer {
  return trace.getTracer(name)
}

export interface InSpanOptions {
  kind?: SpanKind
  tracer?: Tracer
}

/**
 * Runs fn inside a new active span: exceptions are recorded and mark the span ERROR
 * (then rethrown), success marks it OK, and the span always ends.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => T | Promise<T>,
  opts: InSpanOptions = {},
): Promise<T> {
  const t = opts.tracer ?? trace.getTracer('@brokerage/platform')
  return t.startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes }, async (span) => {
    try {
      const result = await fn(span)
      span.setStatus({ code: SpanStatusCode.OK })
      return result
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err))
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) })
      throw err
    } finally {
      span.end()
    }
  })
}

// Services depend on platform, not on @opentelemetry/api, yet pass span kinds.
export { SpanKind }
