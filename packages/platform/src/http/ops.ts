import type { FastifyPluginAsync } from 'fastify'
import { runChecks } from '../observability/health.js'
import type { HealthCheck } from '../observability/health.js'
import type { Metrics } from '../observability/metrics.js'

export interface OpsRoutesOptions {
  /** Readiness checks by name (`db`, `broker`), each doing a real round trip. */
  checks: Readonly<Record<string, HealthCheck>>
  metrics: Metrics
  service: string
  /** Per-check bound for /health/ready. */
  checkTimeoutMs?: number
  /** More to say in /health/ready that does not decide readiness (the gateway's breakers). */
  detail?: () => Record<string, unknown>
}

/**
 * `GET /health/live` (the process answers), `GET /health/ready` (its dependencies do)
 * and `GET /metrics`. Liveness deliberately checks nothing else: a restart cannot fix a
 * database outage, it only adds a restart storm to it.
 */
/**
 * The probes a public port keeps when the operations routes have a port of their own: the
 * same status codes, but no per-check detail and no metrics for anyone who can reach it.
 */
export function createPublicHealthRoutes(opts: OpsRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const config = { quiet: true }
    app.get('/health/live', { config }, async () => ({ status: 'ok' }))
    app.get('/health/ready', { config }, async (_req, reply) => {
      const report = await runChecks(opts.checks, opts.checkTimeoutMs)
      return reply.code(report.status === 'ok' ? 200 : 503).send({ status: report.status })
    })
  }
}

export function createOpsRoutes(opts: OpsRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const config = { quiet: true }

    app.get('/health/live', { config }, async () => ({ status: 'ok', service: opts.service }))

    app.get('/health/ready', { config }, async (_req, reply) => {
      const report = await runChecks(opts.checks, opts.checkTimeoutMs)
      return reply.code(report.status === 'ok' ? 200 : 503).send({ ...opts.detail?.(), ...report, service: opts.service })
    })

    app.get('/metrics', { config }, async (_req, reply) => {
      const { registry } = opts.metrics
      return reply.type(registry.contentType).send(await registry.metrics())
    })
  }
}
