// A real Prometheus (Debian's, as CI installs it) scrapes the running platform: every service's
// /metrics (the gateway's on its operations port) is a target that is up, the series the alert
// rules and dashboards use are there, and the rules evaluate without error against them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eventually, freePort } from '@brokerage/platform/testing'
import { TOPOLOGY } from '../../scripts/topology.js'
import { openSocket } from '../../services/gateway/src/live/testing.js'
import { startPlatform } from '../e2e/harness.js'
import { createCustomer, deposit, orderStatus } from '../e2e/helpers.js'
import { repoPath } from './service-env.js'

interface Target {
  labels: { service_name: string }
  health: string
  lastError: string
}

test('when Prometheus scrapes the running platform, then every service is an up target, the key series are there and the alert rules evaluate', async (t) => {
  const p = await startPlatform(t)
  // Traffic, so request, gRPC, handler and saga series exist: a customer, a deposit, an order, a match (a trade to settle).
  const admin = await p.login('admin', 'admin')
  const customer = await createCustomer(p, admin)
  await deposit(p, admin, customer.id, 1_000_000)
  const order = await p.api('POST', '/api/orders', {
    token: admin,
    headers: { prefer: 'wait=5' },
    body: { customerId: customer.id, assetName: 'AAPL', side: 'BUY', size: 1, price: 15000 },
  })
  assert.equal(order.status, 200, JSON.stringify(order.body))
  const match = await p.api('POST', `/api/orders/${order.body.id}/match`, { token: admin })
  assert.equal(match.status, 202, JSON.stringify(match.body))
  await orderStatus(p, admin, order.body.id, ['MATCHED'])
  // The gateway reads the bus (and has a consumer_lag) only while a live feed socket is open.
  const live = await openSocket(p.wsUrl(), admin)
  t.after(() => live.close())

  const dir = await mkdtemp(join(tmpdir(), 'brokerage-prometheus-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const port = await freePort()
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: [repoPath('deploy/prometheus/rules/brokerage.yml')],
    scrape_configs: p.services.map((s) => ({
      job_name: 'brokerage',
      static_configs: [{ targets: [new URL(s.opsUrl).host], labels: { service_name: s.spec.name } }],
    })),
  }
  // One job, several static configs: the rules' job="brokerage" matches every target.
  const merged = {
    ...config,
    scrape_configs: [{ job_name: 'brokerage', static_configs: config.scrape_configs.flatMap((c) => c.static_configs) }],
  }
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(merged))
  const prometheus = spawn(
    'prometheus',
    [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  prometheus.stderr.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)))
  const exited = new Promise((r) => prometheus.once('exit', r))
  t.after(async () => {
    prometheus.kill('SIGTERM')
    await exited
  })
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/${path}`)
    const body = (await res.json()) as { status: string; data: T }
    if (body.status !== 'success') throw new Error(`${path}: ${JSON.stringify(body)}`)
    return body.data
  }

  const targets = await eventually(
    async () => {
      const { activeTargets } = await api<{ activeTargets: Target[] }>('targets')
      return activeTargets.length === TOPOLOGY.length && activeTargets.every((x) => x.health === 'up') && activeTargets
    },
    { timeoutMs: 30_000, what: `every target up (prometheus log: ${log})` },
  )
  assert.deepEqual(targets.map((x) => x.labels.service_name).sort(), TOPOLOGY.map((s) => s.name).sort())

  const servicesWith = async (query: string, label = 'service') => {
    const rows = await api<{ result: { metric: Record<string, string> }[] }>(`query?query=${encodeURIComponent(query)}`)
    return [...new Set(rows.result.map((r) => r.metric[label]!))].sort()
  }
  const all = TOPOLOGY.map((s) => s.name).sort()
  assert.deepEqual(await servicesWith('up == 1', 'service_name'), all)
  // The services' own label (set by every service's registry) names each one.
  assert.deepEqual(await servicesWith('outbox_backlog'), all)
  assert.deepEqual(await servicesWith('process_resident_memory_bytes'), all)
  // Every service but the gateway consumes in a group of its own; the gateway's live feed too, with a socket open.
  assert.deepEqual(await servicesWith('consumer_lag'), all)
  // The gateway labels a request by its route's pattern: /api/v1/orders, or /api/orders through the unversioned alias.
  assert.ok((await servicesWith('http_request_duration_seconds_count{route=~"/api(/v1)?/orders"}')).includes('gateway'))
  assert.ok((await servicesWith('grpc_request_duration_seconds_count')).includes('order'))
  assert.ok((await servicesWith('event_handler_duration_seconds_count')).includes('asset'))
  assert.deepEqual(await servicesWith('saga_duration_seconds_count{saga="order_reservation"}'), ['order'])
  assert.deepEqual(await servicesWith('saga_duration_seconds_count{saga="order_settlement", outcome="SETTLED"}'), ['order-processor'])
  assert.deepEqual(await servicesWith('orders_by_status'), ['order'])

  // The rules load and evaluate on real series without error (none needs to fire).
  const rules = await eventually(
    async () => {
      const { groups } = await api<{ groups: { rules: { name: string; health: string; lastError?: string }[] }[] }>('rules')
      const all = groups.flatMap((g) => g.rules)
      return all.length > 0 && all.every((r) => r.health === 'ok') && all
    },
    { what: 'every rule evaluated' },
  )
  assert.ok(rules.length >= 8)

  // Every dashboard query is valid PromQL here, and names only metrics the services export.
  // dlq_messages exists once a dead-letter topic does (tests/e2e/races.test.ts makes one).
  const exported = new Set([...(await api<string[]>('label/__name__/values')), 'dlq_messages'])
  const dashboards = repoPath('deploy/grafana/dashboards')
  for (const file of await readdir(dashboards)) {
    const dashboard = JSON.parse(await readFile(join(dashboards, file), 'utf8')) as { panels: { targets: { expr: string }[] }[] }
    for (const { expr } of dashboard.panels.flatMap((x) => x.targets)) {
      const query = expr.replaceAll('$service', '.*')
      await assert.doesNotReject(api(`query?query=${encodeURIComponent(query)}`), `${file}: ${expr}`)
      // A metric is a name right before a selector or range, never a function (they take "(").
      for (const [, name] of query.matchAll(/([a-z_][a-z0-9_]*)\s*[{[]/g))
        assert.ok(exported.has(name!), `${file} uses ${name}, which no service exports`)
      // A route the panel names is one the gateway labels requests with (the order above made one).
      for (const [matcher] of query.matchAll(/route\s*=~?\s*"[^"]*"/g)) {
        const { result } = await api<{ result: unknown[] }>(
          `query?query=${encodeURIComponent(`http_request_duration_seconds_count{${matcher}}`)}`,
        )
        assert.ok(result.length > 0, `${file}: no request has ${matcher}`)
      }
      // So is a saga it names (the order above ran both).
      for (const [matcher] of query.matchAll(/saga\s*=\s*"[^"]*"/g)) {
        const { result } = await api<{ result: unknown[] }>(`query?query=${encodeURIComponent(`saga_duration_seconds_count{${matcher}}`)}`)
        assert.ok(result.length > 0, `${file}: no saga has ${matcher}`)
      }
    }
  }
})
