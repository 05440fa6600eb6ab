import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api'
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'

export interface TracingOptions {
  service: string
  /**
   * OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`; a bare origin gets
   * `/v1/traces` appended). Without it spans get real ids (for logs and the event
   * envelope) but are exported nowhere.
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
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
    spanProcessors: processors,
  })
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  })
  const handle: Tracing = {
    async shutdown() {
      if (active !== handle) return
      active = undefined
      await provider.shutdown()
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
