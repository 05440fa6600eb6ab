import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { captureLogs } from '../observability/log-capture.js'
import { createMetrics } from '../observability/metrics.js'
import type { HealthCheck } from '../observability/health.js'
import { createOpsRoutes } from './ops.js'
import { createHttpServer } from './server.js'

async function createOpsServer(t: TestContext, checks: Record<string, HealthCheck>, checkTimeoutMs?: number) {
  const { log, lines } = captureLogs({ service: 'asset' })
  const metrics = createMetrics({ service: 'asset' })
  const app = createHttpServer({ log, metrics, service: 'asset' })
  await app.register(createOpsRoutes({ checks, metrics, service: 'asset', ...(checkTimeoutMs ? { checkTimeoutMs } : {}) }))
  t.after(() => app.close())
  return { app, lines, metrics }
}

const ok: HealthCheck = async () => {}

test('when the process runs, then /health/live answers 200 ok without running any check', async (t) => {
  let ran = false
  const { app } = await createOpsServer(t, { db: async () => void (ran = true) })
  const res = await app.inject({ method: 'GET', url: '/health/live' })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { status: 'ok', service: 'asset' })
  assert.equal(ran, false)
})

test('when every dependency answers, then /health/ready is 200 with each check ok', async (t) => {
  const { app } = await createOpsServer(t, { db: ok, broker: ok })
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { status: 'ok', checks: { db: 'ok', broker: 'ok' }, service: 'asset' })
})

test('when a dependency fails or hangs, then /health/ready is 503 naming it and why', async (t) => {
  const { app } = await createOpsServer(
    t,
    {
      db: ok,
      broker: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9092')
      },
      cache: () => new Promise<void>(() => {}),
    },
    25,
  )
  const res = await app.inject({ method: 'GET', url: '/health/ready' })
  assert.equal(res.statusCode, 503)
  assert.deepEqual(res.json(), {
    status: 'unavailable',
    checks: { db: 'ok', broker: 'connect ECONNREFUSED 127.0.0.1:9092', cache: 'timed out after 25ms' },
    service: 'asset',
  })
})

test('when /metrics is scraped, then it returns Prometheus text including the request metrics, and probes stay out of the logs', async (t) => {
  const { app, lines } = await createOpsServer(t, { db: ok })
  await app.inject({ method: 'GET', url: '/health/ready' })
  const res = await app.inject({ method: 'GET', url: '/metrics' })
  assert.equal(res.statusCode, 200)
  assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/)
  assert.match(res.body, /# TYPE http_request_duration_seconds histogram/)
  assert.match(res.body, /http_request_duration_seconds_count\{[^}]*route="\/health\/ready",status="200"[^}]*\} 1/)
  assert.match(res.body, /process_resident_memory_bytes\{service="asset"\}/)
  assert.equal(lines.filter((l) => l['msg'] === 'request completed').length, 0)
})
