import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eventually } from '@brokerage/platform/testing'
import type { TestContext } from 'node:test'
import type { ResilienceOptions } from '../src/clients.js'
import { errorOf, ids, startGateway, type TestGateway } from './support.js'

const order = { customerId: ids.c1, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 }

// Readiness detail and metrics are served on the operations port only.
const opsUrl = (gw: TestGateway) => `http://127.0.0.1:${gw.gw.runtime.ports.ops}`

// The gateway's deadlines and breakers against a stand-in processor that stops answering
// (the end-to-end version, with a SIGSTOPped process, is in tests/e2e/degradation.test.ts).

/** A processor whose GetOrderBook hangs until the test ends (or `answer()` puts it back). */
async function hangingProcessor(t: TestContext, resilience: ResilienceOptions) {
  const gw = await startGateway(t, { gateway: { resilience } })
  const { admin } = await gw.tokens()
  const ops = opsUrl(gw)
  const hung: Array<() => void> = []
  t.after(() => hung.forEach((release) => release()))
  gw.world.override('processor', 'GetOrderBook', () => new Promise((resolve) => hung.push(() => resolve({ asset_name: 'AAPL' }))))
  const book = async () => {
    const started = Date.now()
    const res = await gw.request('GET', '/api/orderbook/AAPL', { token: admin! })
    return { res, ms: Date.now() - started }
  }
  return {
    gw,
    book,
    answer: () => gw.world.override('processor', 'GetOrderBook', gw.world.services.processor.GetOrderBook),
    reached: () => gw.world.requests('GetOrderBook').length,
    ready: async () => (await fetch(`${ops}/health/ready`)).json() as Promise<{ breakers: Record<string, string> }>,
    metric: async (name: string) => {
      const text = await (await fetch(`${ops}/metrics`)).text()
      const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes('order-processor'))
      return line ? Number(line.split(' ').pop()) : 0
    },
  }
}

test('when a service does not answer, then a read answers 503 with Retry-After within its deadline, not later', async (t) => {
  const p = await hangingProcessor(t, { readDeadlineMs: 500, breakerFailures: 5 })
  const { res, ms } = await p.book()
  assert.equal(res.statusCode, 503)
  assert.equal(res.headers['retry-after'], '1')
  assert.deepEqual(errorOf(res), {
    code: 'UNAVAILABLE',
    message: 'order-processor did not answer within 500 ms',
    details: { service: 'order-processor', deadlineMs: 500 },
  })
  assert.ok(ms >= 500 && ms < 3_000, `answered after ${ms} ms`)
})

test('when calls to a service fail N times in a row, then its breaker opens and answers 503 at once without calling it, with Retry-After', async (t) => {
  const p = await hangingProcessor(t, { readDeadlineMs: 300, breakerFailures: 3, breakerHalfOpenMs: 60_000 })
  for (let i = 0; i < 3; i++) assert.equal((await p.book()).res.statusCode, 503)
  assert.equal(p.reached(), 3)
  assert.equal((await p.ready()).breakers['order-processor'], 'open')

  const { res } = await p.book()
  assert.equal(res.statusCode, 503)
  assert.equal(p.reached(), 3, 'the open breaker did not call the service')
  const retryAfter = Number(res.headers['retry-after'])
  assert.ok(retryAfter > 1 && retryAfter <= 60, `Retry-After ${retryAfter}`)
  assert.deepEqual(errorOf(res), {
    code: 'UNAVAILABLE',
    message: 'order-processor is unavailable; calls to it are paused',
    details: { service: 'order-processor', breaker: 'open' },
  })
  assert.equal(await p.metric('gateway_breaker_opens_total'), 1)
  assert.equal(await p.metric('gateway_calls_short_circuited_total'), 1)
  assert.equal(await p.metric('gateway_breaker_state'), 1)
})

test('when the service answers again, then the half-open breaker lets a probe through and closes', async (t) => {
  const p = await hangingProcessor(t, { readDeadlineMs: 300, breakerFailures: 2, breakerHalfOpenMs: 200 })
  for (let i = 0; i < 2; i++) assert.equal((await p.book()).res.statusCode, 503)
  assert.equal((await p.ready()).breakers['order-processor'], 'open')
  p.answer()
  await eventually(async () => (await p.book()).res.statusCode === 200, { what: 'the breaker to let a probe through' })
  assert.equal((await p.ready()).breakers['order-processor'], 'closed')
  assert.equal(await p.metric('gateway_breaker_state'), 0)
})

test('when a service answers with a business error, then the breaker does not count it', async (t) => {
  const gw = await startGateway(t, { gateway: { resilience: { breakerFailures: 1 } } })
  const { c1 } = await gw.tokens()
  for (let i = 0; i < 3; i++) {
    const res = await gw.request('GET', '/api/orders/00000000-0000-4000-8000-00000000dead', { token: c1! })
    assert.equal(res.statusCode, 404)
  }
  const ready = (await (await fetch(`${opsUrl(gw)}/health/ready`)).json()) as { breakers: Record<string, string> }
  assert.equal(ready.breakers['order'], 'closed')
})

test('when the order service does not answer, then POST /orders answers 503 with Retry-After within the write deadline, plus only the wait it was asked for', async (t) => {
  const gw = await startGateway(t, { gateway: { resilience: { writeDeadlineMs: 500, breakerFailures: 5 } } })
  const { c1 } = await gw.tokens()
  const hung: Array<() => void> = []
  t.after(() => hung.forEach((release) => release()))
  gw.world.override('order', 'CreateOrder', () => new Promise((resolve) => hung.push(() => resolve({}))))
  const place = async (headers: Record<string, string> = {}) => {
    const started = Date.now()
    const res = await gw.request('POST', '/api/orders', { token: c1!, body: order, headers })
    return { res, ms: Date.now() - started }
  }

  const plain = await place()
  assert.equal(plain.res.statusCode, 503)
  assert.equal(plain.res.headers['retry-after'], '1')
  assert.deepEqual(errorOf(plain.res), {
    code: 'UNAVAILABLE',
    message: 'order did not answer within 500 ms',
    details: { service: 'order', deadlineMs: 500 },
  })
  assert.ok(plain.ms >= 500 && plain.ms < 3_000, `answered after ${plain.ms} ms`)

  // Prefer: wait=1 lets the service hold its answer a second for the saga: the deadline grows by that, no more.
  const waiting = await place({ prefer: 'wait=1' })
  assert.equal(waiting.res.statusCode, 503)
  assert.deepEqual(errorOf(waiting.res).details, { service: 'order', deadlineMs: 1_500 })
  assert.ok(waiting.ms >= 1_500 && waiting.ms < 4_000, `answered after ${waiting.ms} ms`)
})
