import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import pg from 'pg'
import { createDb } from '@brokerage/platform'
import { createCollector } from '@brokerage/platform/testing'
import { decodeChanges, startStatusListener, STATUS_CHANNEL } from '../src/status-listener.js'
import { startOrder, testClock } from './helpers.js'

// How a CreateOrder call waiting (wait_ms) hears that its order left PENDING: directly from
// a change this instance commits, through one NOTIFY per transaction from another instance.

test('when another instance changes the order a CreateOrder call waits on, then the call answers with the new status at once', async (t) => {
  const h = await startOrder(t)
  const other = await h.instance()
  const customerId = await h.customer()
  const started = Date.now()

  const answer = h.call('CreateOrder', { customer_id: customerId, asset_name: 'THYAO', side: 'BUY', size: 1, price: 100, wait_ms: 20_000 })
  const created = await h.next('OrderCreated')
  const cancelled = await other.client.call('CancelOrder', {
    id: created.data.orderId,
    actor: { subject: 'admin', role: 'ADMIN', request_id: randomUUID() },
  })
  const res = await answer

  assert.equal(cancelled.status, 'CANCELED')
  assert.equal(res.order!.status, 'CANCELED')
  assert.equal(res.order!.updated_at, cancelled.updated_at, 'the carried state is the one written')
  assert.ok(Date.now() - started < 10_000, 'answered on the change, not at the end of wait_ms')
})

test('when the sweeper rejects several orders in one transaction, then one NOTIFY carries them all with their new status', async (t) => {
  const clock = testClock()
  const h = await startOrder(t, { now: clock.now, reservationTimeoutMs: 1_000 })
  const customerId = await h.customer()
  const ids: string[] = []
  for (let i = 0; i < 3; i++) ids.push((await h.createOrder({ customer_id: customerId })).id)
  const listen = new pg.Client({ connectionString: h.databaseUrl })
  listen.on('error', () => {}) // the database is dropped at the end of the test
  await listen.connect()
  t.after(() => listen.end())
  const notified = createCollector<string>()
  listen.on('notification', (n) => n.channel === STATUS_CHANNEL && notified.push(n.payload ?? ''))
  await listen.query(`LISTEN ${STATUS_CHANNEL}`)

  clock.advance(1_001)
  assert.equal(await h.svc.sweepReservations(), 3)

  const heard = (payloads: string[]) => payloads.flatMap((p) => decodeChanges(p)?.changes.map((c) => c.orderId) ?? [p])
  const payloads = await notified.until((all) => ids.every((id) => heard(all).includes(id)), { what: 'a wake-up for every order' })
  assert.equal(payloads.length, 1, payloads.join('\n'))
  const changes = decodeChanges(payloads[0]!)!.changes
  assert.deepEqual(changes.map((c) => c.orderId).sort(), [...ids].sort())
  for (const c of changes) {
    assert.deepEqual([c.status, c.rejectionReason], ['REJECTED', 'RESERVATION_TIMEOUT'])
    assert.equal(c.updatedAt.toISOString(), (await h.call('GetOrder', { id: c.orderId })).updated_at)
  }
})

test('when this instance commits a status change, then its waiters are woken at the commit, with the new status, before any NOTIFY', async (t) => {
  const h = await startOrder(t)
  const db = createDb({ url: h.databaseUrl })
  t.after(() => db.close())
  const log = h.svc.runtime.log
  const listener = await startStatusListener({ url: h.databaseUrl, db, log })
  t.after(() => listener.close())
  const orderId = randomUUID()
  const sub = listener.subscribe(orderId)
  const updatedAt = new Date()

  await db.tx(async (tx) => listener.changed(tx, [{ id: orderId, status: 'CONFIRMED', rejectionReason: null, updatedAt }]))
  const woken = await sub.next(0)
  await assert.rejects(
    db.tx(async (tx) => {
      listener.changed(tx, [{ id: orderId, status: 'REJECTED', rejectionReason: 'INSUFFICIENT_BALANCE', updatedAt }])
      throw new Error('rolled back')
    }),
  )
  const afterRollback = await sub.next(0)

  assert.deepEqual(woken, { kind: 'changed', change: { orderId, status: 'CONFIRMED', rejectionReason: null, updatedAt } })
  assert.deepEqual(afterRollback, { kind: 'timeout' }, 'a change rolled back wakes nobody')
})
