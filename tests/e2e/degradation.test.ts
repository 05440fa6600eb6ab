import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DEFAULT_RESILIENCE } from '../../services/gateway/src/clients.js'
import { startPlatform, type Platform } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until } from './helpers.js'

// One service down at a time, on real processes: the platform degrades instead of stalling.
// (Asset down until the reservation times out is in races.test.ts. Notification and audit
// down, with trading unaffected and both catching up from the log, come with those services.)

/** SIGSTOP: the process holds its sockets open and answers nothing, the worst case for a caller. */
/** The gateway's breakers as /health/ready shows them. */
// The breakers are readiness detail, served on the gateway's operations port.
const breakers = async (p: Platform) => {
  const gateway = p.services.find((s) => s.spec.name === 'gateway')!
  return ((await (await fetch(`${gateway.opsUrl}/health/ready`)).json()) as { breakers: Record<string, string> }).breakers
}

function freeze(p: Platform, name: string) {
  const s = p.services.find((x) => x.spec.name === name)!
  s.child.kill('SIGSTOP')
  return () => void s.child.kill('SIGCONT')
}

test('graceful degradation with one service down', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const erin = await createCustomer(p, admin, { name: 'Erin' })
  const token = await p.login(erin.email, erin.password)
  await deposit(p, token, erin.id, 1_000_000)
  const buy = (size: number, price: number) =>
    p.api('POST', '/api/orders', { token, body: { customerId: erin.id, assetName: 'AAPL', side: 'BUY', size, price } })
  const book = () => p.api('GET', '/api/orderbook/AAPL', { token })

  await t.test(
    'when the order-processor is down, then orders are accepted, reserved and CONFIRMED, and rest in the book when it returns',
    async () => {
      await p.stop('order-processor')
      const placed = await buy(10, 1_234)
      assert.equal(placed.status, 202)
      await orderStatus(p, token, placed.body.id, ['CONFIRMED'])
      assert.equal((await balances(p, token, erin.id)).TRY!.usableSize, 1_000_000 - 12_340)
      const down = await book()
      assert.equal(down.status, 503)
      assert.ok(down.headers.get('retry-after'), 'Retry-After')

      await p.restart('order-processor')
      await until(
        'the order to rest in the book',
        async () => (await book()).body,
        (b) => b?.bids?.some((l: { price: number; size: number }) => l.price === 1_234 && l.size === 10),
      )
    },
  )

  await t.test(
    'when the order-processor hangs, then the gateway answers 503 within the read deadline, then at once once its breaker is open, and again 200 when it returns',
    async () => {
      const thaw = freeze(p, 'order-processor')
      t.after(thaw)
      const started = Date.now()
      const first = await book()
      const ms = Date.now() - started
      assert.equal(first.status, 503, JSON.stringify(first.body))
      assert.equal(first.headers.get('retry-after'), '1')
      assert.ok(ms >= 2_000 && ms < 4_000, `answered after ${ms} ms (read deadline 2 s)`)
      // Five in a row open the breaker (DEFAULT_RESILIENCE); the next is answered without waiting.
      for (let i = 0; i < 4; i++) assert.equal((await book()).status, 503)
      const open = await book()
      assert.equal(open.status, 503)
      assert.equal(open.body.error.details.breaker, 'open')
      assert.ok(Number(open.headers.get('retry-after')) >= 1)
      assert.equal((await breakers(p))['order-processor'], 'open')

      thaw()
      await until('the breaker to close once the processor answers', book, (r) => r.status === 200, 30_000)
      assert.equal((await breakers(p))['order-processor'], 'closed')
    },
  )

  await t.test('when the asset service is down, then an order is accepted with 202 and settles when it returns', async () => {
    await p.stop('asset')
    const placed = await buy(3, 1_000)
    assert.equal(placed.status, 202)
    assert.equal(placed.body.status, 'PENDING')
    await p.restart('asset')
    await orderStatus(p, token, placed.body.id, ['CONFIRMED'])
    const b = await balances(p, token, erin.id)
    assert.deepEqual([b.TRY!.size, b.TRY!.usableSize], [1_000_000, 1_000_000 - 12_340 - 3_000])
    assert.deepEqual(await p.conservation(), [])
  })

  // Last: the request the frozen service took in may still run when it thaws.
  await t.test('when the order service hangs, then POST /orders answers 503 with Retry-After within the write deadline', async () => {
    const thaw = freeze(p, 'order')
    t.after(thaw)
    const started = Date.now()
    const placed = await buy(1, 1_000)
    const ms = Date.now() - started
    thaw()
    assert.equal(placed.status, 503, JSON.stringify(placed.body))
    assert.equal(placed.headers.get('retry-after'), '1')
    assert.deepEqual(placed.body.error.details, { service: 'order', deadlineMs: DEFAULT_RESILIENCE.writeDeadlineMs })
    const deadline = DEFAULT_RESILIENCE.writeDeadlineMs
    assert.ok(ms >= deadline && ms < deadline + 2_000, `answered after ${ms} ms (write deadline ${deadline} ms)`)
  })
})
