import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { startPlatform } from './harness.js'
import { createCustomer, deposit, orderStatus } from './helpers.js'

// The order service learns customers from customer.events, so right after a customer is
// created its replica may not know them yet. That lag must never answer 404, and an
// Idempotency-Key must never keep such an answer.

test('when a customer orders at once while the order service has not consumed CustomerCreated, then the order is accepted and goes on once it catches up', async (t) => {
  // Registered before the platform's own cleanup so that, should the test fail, the stall
  // ends before the services are asked to stop.
  let resume = async () => {}
  t.after(() => resume())
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')

  // The order service's consumer writes its inbox row first in every transaction: holding
  // the table stalls it for as long as this transaction stays open, as a lagging consumer would.
  const orderDb = p.db('order')
  const stall = await orderDb.connect()
  stall.on('error', () => {}) // the database is dropped at the end of the test
  await stall.query('BEGIN')
  await stall.query('LOCK TABLE inbox IN EXCLUSIVE MODE')
  resume = async () => {
    resume = async () => {}
    await stall.query('COMMIT').finally(() => stall.release(true))
  }

  const c = await createCustomer(p, admin)
  const token = await p.login(c.email, c.password)
  await deposit(p, token, c.id, 150_000)
  const order = { customerId: c.id, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000 }
  const headers = { 'idempotency-key': `first-order-${randomUUID()}` }

  const placed = await p.api('POST', '/api/orders', { token, body: order, headers })
  assert.equal(placed.status, 202, JSON.stringify(placed.body))
  assert.equal(placed.body.status, 'PENDING')
  const again = await p.api('POST', '/api/orders', { token, body: order, headers })
  assert.deepEqual([again.status, again.body.id, again.headers.get('idempotent-replayed')], [202, placed.body.id, 'true'])

  const consumed = await stall.query('SELECT count(*)::int AS n FROM inbox')
  assert.equal(consumed.rows[0].n, 0, 'the order service consumed nothing meanwhile: the replica had not seen CustomerCreated')

  const unknown = await p.api('POST', '/api/orders', { token: admin, body: { ...order, customerId: randomUUID() } })
  assert.equal(unknown.status, 404, 'a customer that does not exist is still not found')

  await resume()
  const settled = await orderStatus(p, token, placed.body.id, ['CONFIRMED'])
  assert.equal(settled.status, 'CONFIRMED')
  const replica = await orderDb.query('SELECT tier, status, registered FROM customers WHERE customer_id = $1', [c.id])
  assert.deepEqual(replica.rows, [{ tier: 'STANDARD', status: 'ACTIVE', registered: true }])
})
