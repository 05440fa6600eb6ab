import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createMetrics } from './metrics.js'

/** The value of one sample in Prometheus text, matched by name and exact label set (any order). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels)
    .sort()
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const got = (m[2] ?? '').split(',').filter(Boolean).sort().join(',')
    if (got === want) return Number(m[3])
  }
  return undefined
}

test('when metrics are recorded, then the scrape has them labelled with the service, plus process metrics', async () => {
  const m = createMetrics({ service: 'order' })
  m.httpRequestDuration.observe({ method: 'POST', route: '/api/orders', status: 202 }, 0.012)
  m.eventHandlerDuration.observe({ group: 'asset', type: 'OrderCreated', outcome: 'duplicate' }, 0.001)
  const endSaga = m.sagaDuration.startTimer()
  const seconds = endSaga({ saga: 'order', outcome: 'matched' })
  m.grpcRequestDuration.observe({ method: 'GetOrder', code: 'OK' }, 0.002)

  const text = await m.registry.metrics()
  assert.equal(
    sample(text, 'http_request_duration_seconds_count', { method: 'POST', route: '/api/orders', status: '202', service: 'order' }),
    1,
  )
  assert.equal(
    sample(text, 'event_handler_duration_seconds_count', { group: 'asset', type: 'OrderCreated', outcome: 'duplicate', service: 'order' }),
    1,
  )
  assert.equal(sample(text, 'saga_duration_seconds_bucket', { le: '300', saga: 'order', outcome: 'matched', service: 'order' }), 1)
  assert.equal(sample(text, 'grpc_request_duration_seconds_count', { method: 'GetOrder', code: 'OK', service: 'order' }), 1)
  assert.ok((sample(text, 'process_cpu_user_seconds_total', { service: 'order' }) ?? -1) >= 0)
  assert.ok(seconds >= 0)
})

test('when gauge sources are registered, then their values are computed at scrape time and summed per label set', async () => {
  const m = createMetrics({ service: 'asset', defaultMetrics: false })
  let backlog = 5
  m.registerOutboxBacklog(async () => backlog)
  m.registerConsumerLag(async () => [
    { labels: { group: 'asset', topic: 'orders', partition: 0 }, value: 7 },
    { labels: { group: 'asset', topic: 'orders', partition: 1 }, value: 0 },
  ])
  const stopSecond = m.registerConsumerLag(async () => [{ labels: { group: 'asset', topic: 'orders', partition: 0 }, value: 3 }])
  m.registerDlqMessages(async () => [{ labels: { topic: 'orders.dlq' }, value: 2 }])

  let text = await m.registry.metrics()
  assert.equal(sample(text, 'outbox_backlog', { service: 'asset' }), 5)
  assert.equal(sample(text, 'consumer_lag', { group: 'asset', topic: 'orders', partition: '0', service: 'asset' }), 10)
  assert.equal(sample(text, 'consumer_lag', { group: 'asset', topic: 'orders', partition: '1', service: 'asset' }), 0)
  assert.equal(sample(text, 'dlq_messages', { topic: 'orders.dlq', service: 'asset' }), 2)

  backlog = 1
  stopSecond()
  text = await m.registry.metrics()
  assert.equal(sample(text, 'outbox_backlog', { service: 'asset' }), 1)
  assert.equal(sample(text, 'consumer_lag', { group: 'asset', topic: 'orders', partition: '0', service: 'asset' }), 7)
})

test('when a gauge source fails, then the scrape still succeeds, the gauge keeps its last values and the failure is counted', async () => {
  const m = createMetrics({ service: 'asset', defaultMetrics: false })
  let fail = false
  m.registerOutboxBacklog(async () => {
    if (fail) throw new Error('db down')
    return 12
  })
  assert.equal(sample(await m.registry.metrics(), 'outbox_backlog', { service: 'asset' }), 12)
  fail = true
  const text = await m.registry.metrics()
  assert.equal(sample(text, 'outbox_backlog', { service: 'asset' }), 12)
  assert.equal(sample(text, 'gauge_source_errors_total', { gauge: 'outbox_backlog', service: 'asset' }), 1)
})

test('when a custom gauge source is registered twice with different labels, then it is refused', () => {
  const m = createMetrics({ service: 'x', defaultMetrics: false })
  m.registerGaugeSource('things', 'Things', ['kind'], async () => [{ labels: { kind: 'a' }, value: 1 }])
  assert.throws(() => m.registerGaugeSource('things', 'Things', ['colour'], async () => []), /already has labels \[kind\]/)
})

test('when a source yields a label it did not declare, then the scrape still succeeds and the error is counted', async () => {
  const m = createMetrics({ service: 'x', defaultMetrics: false })
  m.registerDlqMessages(async () => [{ labels: { topic: 'a.dlq', partition: 0 } as { topic: string }, value: 1 }])
  const text = await m.registry.metrics()
  assert.equal(sample(text, 'gauge_source_errors_total', { gauge: 'dlq_messages', service: 'x' }), 1)
})
