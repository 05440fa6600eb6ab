// The OpenTelemetry SDK side of tracing, imported by initTracing only when spans are exported or
// processed: a service without an exporter never loads these modules.
import type { Context, ContextManager, TextMapPropagator } from '@opentelemetry/api'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions'

export interface SdkOptions {
  service: string
  exporterUrl?: string
  spanProcessors?: SpanProcessor[]
  contextManager: ContextManager
  propagator: TextMapPropagator<Context>
}

/** Registers the SDK's tracer provider globally; returns what flushes and stops it. */
export function registerSdk(opts: SdkOptions): () => Promise<void> {
  const processors = [...(opts.spanProcessors ?? [])]
  if (opts.exporterUrl) processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(opts.exporterUrl) })))
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: opts.service }),
    spanProcessors: processors,
  })
  provider.register({ contextManager: opts.contextManager, propagator: opts.propagator })
  return () => provider.shutdown()
}

function tracesUrl(url: string): string {
  const u = new URL(url)
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces'
  return u.toString()
}
