import {
  context,
  createContextKey,
  createTraceState,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
} from '@opentelemetry/api'
import type {
  Attributes,
  Context,
  Span,
  SpanContext,
  SpanOptions,
  TextMapGetter,
  TextMapPropagator,
  TextMapSetter,
  Tracer,
  TracerProvider,
} from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'

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

let active: Promise<Tracing> | undefined

/**
 * Registers the global tracer provider, the AsyncLocalStorage context manager and the
 * W3C trace-context propagator. Idempotent: later calls return the first registration
 * (a process is one service), whatever options they pass.
 *
 * The OpenTelemetry SDK (provider, processors, OTLP exporter, resources and the semantic
 * conventions they pull in) is imported only when something would read a recorded span:
 * an exporter URL or span processors. Loaded for nothing it cost each service 6–12 MB of RSS.
 */
export function initTracing(opts: TracingOptions): Promise<Tracing> {
  active ??= register(opts)
  return active
}

async function register(opts: TracingOptions): Promise<Tracing> {
  const contextManager = new AsyncLocalStorageContextManager()
  let stopProvider: (() => Promise<void>) | undefined
  if (opts.exporterUrl || opts.spanProcessors?.length) {
    const { registerSdk } = await import('./tracing-sdk.js')
    stopProvider = registerSdk({ ...opts, contextManager, propagator: w3c })
  } else {
    // Nothing would ever read a recorded span: the SDK's attributes, events, timing and
    // processors were about 5 % of a service's CPU for nothing.
    trace.setGlobalTracerProvider(idOnlyProvider)
    context.setGlobalContextManager(contextManager.enable())
    propagation.setGlobalPropagator(w3c)
  }
  const handle: Tracing = {
    async shutdown() {
      if ((await active) !== handle) return
      active = undefined
      await stopProvider?.()
      trace.disable()
      context.disable()
      propagation.disable()
    },
  }
  return handle
}

/**
 * A tracer whose spans only carry ids: a child continues its parent's trace (and sampling
 * flag), a root starts a sampled trace, as the SDK's default sampler would; everything a
 * span would record is dropped (the API's non-recording span).
 */
class IdOnlyTracer implements Tracer {
  startSpan(_name: string, opts: SpanOptions = {}, ctx: Context = context.active()): Span {
    const parent = opts.root ? undefined : trace.getSpanContext(ctx)
    const continues = parent !== undefined && isSpanContextValid(parent)
    return trace.wrapSpanContext({
      traceId: continues ? parent.traceId : randomHexId(16),
      spanId: randomHexId(8),
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

const idBytes = Buffer.allocUnsafe(16)

/**
 * A random id of `bytes` bytes as lower-case hex, never all zeros (an invalid id in W3C trace
 * context). Math.random, as the SDK's own generator: ids must be unique, not unguessable.
 */
function randomHexId(bytes: 8 | 16): string {
  for (let i = 0; i < bytes; i += 4) idBytes.writeUInt32BE((Math.random() * 2 ** 32) >>> 0, i)
  if (idBytes.readUInt32BE(0) === 0) idBytes[0] = 1
  return idBytes.toString('hex', 0, bytes)
}

// The key @opentelemetry/core's suppressTracing sets (createContextKey is Symbol.for).
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING')
const TRACEPARENT_HEADER = /^\s?((?!ff)[\da-f]{2})-((?![0]{32})[\da-f]{32})-((?![0]{16})[\da-f]{16})-([\da-f]{2})(-.*)?\s?$/

/**
 * W3C trace context (`traceparent`, `tracestate`), as @opentelemetry/core's
 * W3CTraceContextPropagator does it, without importing core: core loads the semantic
 * conventions (several MB of strings) for attributes no service without an exporter records.
 */
export class W3CTraceContext implements TextMapPropagator {
  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    const sc = trace.getSpanContext(ctx)
    if (!sc || ctx.getValue(SUPPRESS_TRACING) === true || !isSpanContextValid(sc)) return
    setter.set(carrier, 'traceparent', `00-${sc.traceId}-${sc.spanId}-0${Number(sc.traceFlags || TraceFlags.NONE).toString(16)}`)
    if (sc.traceState) setter.set(carrier, 'tracestate', sc.traceState.serialize())
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const header = getter.get(carrier, 'traceparent')
    const m = TRACEPARENT_HEADER.exec((Array.isArray(header) ? header[0] : header) ?? '')
    // Version 00 has exactly four fields; a later version may append more.
    if (!m || (m[1] === '00' && m[5])) return ctx
    const sc: SpanContext = { traceId: m[2]!, spanId: m[3]!, traceFlags: parseInt(m[4]!, 16), isRemote: true }
    const state = getter.get(carrier, 'tracestate')
    if (state) sc.traceState = createTraceState(Array.isArray(state) ? state.join(',') : state)
    return isSpanContextValid(sc) ? trace.setSpanContext(ctx, sc) : ctx
  }

  fields(): string[] {
    return ['traceparent', 'tracestate']
  }
}

// Used directly rather than through the global propagator: the event envelope's
// `traceparent` is W3C by contract, whatever a process registers globally.
const w3c = new W3CTraceContext()

/** The W3C traceparent of the active span, for the event envelope; null outside a span. */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {}
  w3c.inject(context.active(), carrier, { set: (c, k, v) => ((c as Record<string, string>)[k] = v) })
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
  return w3c.extract(ROOT_CONTEXT, carrier, { get: (c, k) => (c as Record<string, string>)[k], keys: (c) => Object.keys(c as object) })
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
