import { test } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { teardown } from '@brokerage/platform/testing'
import { verifyChain } from '../../services/audit/src/chain.js'
import { startMailCatcher } from '../../services/notification/src/mail-catcher.js'
import { CONSUMER_GROUP as NOTIFICATION_GROUP, TOPICS_READ } from '../../services/notification/src/app.js'
import { startPlatform } from './harness.js'
import { createCustomer, deposit, orderStatus, until } from './helpers.js'

// The consumers at the edge of the saga, killed (SIGKILL: whatever they were doing is lost but
// their committed offsets): trading does not wait for them, and when they come back they read
// what they missed from the log, the audit service every record once (its chain intact), the
// notification service every missed mail once. Reads the default pglog bus's tables.

const CATCH_UP_MS = 60_000

test('when the notification and audit services are down, then trading is unaffected and both catch up from the log', async (t) => {
  const mail = await startMailCatcher()
  teardown(t).after(() => mail.stop())
  const p = await startPlatform(t, { serviceEnv: { notification: { SMTP_URL: mail.smtpUrl, DELIVERY_POLL_MS: '50' } } })
  const bus = new pg.Pool({ connectionString: p.busUrl, max: 2 })
  bus.on('error', () => {}) // the database is dropped at the end of the test
  teardown(t).after(() => bus.end())
  const audit = p.db('audit')
  const admin = await p.login('admin', 'admin')
  const ada = await createCustomer(p, admin, { name: 'Ada Lovelace' })
  const toAda = () => mail.mails().filter((m) => m.to.includes(ada.email))
  await mail.waitFor((m) => m.to.includes(ada.email) && m.subject.startsWith('Welcome'))
  // The catcher has the mail before the sender records it SENT; killed in between, the service would
  // send it again once its lease ran out (at least once, by design), and this test counts mails.
  const notificationDb = p.db('notification')
  await until(
    "the welcome message's deliveries to be recorded",
    async () =>
      (
        await notificationDb.query<{ status: string }>(
          'SELECT d.status FROM deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.customer_id = $1',
          [ada.id],
        )
      ).rows,
    (rows) => rows.length > 0 && rows.every((r) => r.status !== 'PENDING'),
  )

  await p.kill('audit')
  await p.kill('notification')

  // Trading while both are down: a deposit, an order CONFIRMED and filled, as usual.
  await deposit(p, admin, ada.id, 1_000_000)
  const placed = await p.api('POST', '/api/orders', {
    token: admin,
    body: { customerId: ada.id, assetName: 'AAPL', side: 'BUY', size: 5, price: 15_000 },
    headers: { prefer: 'wait=10' },
  })
  assert.equal(placed.status, 200, JSON.stringify(placed.body))
  assert.equal(placed.body.status, 'CONFIRMED', JSON.stringify(placed.body))
  assert.equal((await p.api('POST', `/api/orders/${placed.body.id}/match`, { token: admin })).status, 202)
  await orderStatus(p, admin, placed.body.id, ['MATCHED'])
  assert.deepEqual(
    toAda().map((m) => m.subject),
    [toAda()[0]!.subject],
    'nothing but the welcome mail while the notification service is down',
  )

  await p.restart('audit')
  await p.restart('notification')

  // The notification service reads what it missed and sends each mail once.
  await mail.waitFor((m) => m.to.includes(ada.email) && m.subject === 'Your buy order for AAPL is filled')
  await mail.waitFor((m) => m.to.includes(ada.email) && m.subject.startsWith('Deposit'))
  await until(
    'the notification service to have read every record and sent every delivery',
    async () => {
      const lag = await bus.query<{ lag: number }>(
        `SELECT p.next_offset - COALESCE(o.committed, 0) AS lag FROM bus_partitions p
         LEFT JOIN bus_offsets o ON o.group_id = $1 AND o.topic = p.topic AND o.partition = p.partition
         WHERE p.topic = ANY($2) AND p.next_offset > COALESCE(o.committed, 0)`,
        [NOTIFICATION_GROUP, TOPICS_READ],
      )
      const pending = await notificationDb.query(`SELECT 1 FROM deliveries WHERE status = 'PENDING'`)
      return lag.rowCount === 0 && pending.rowCount === 0
    },
    (done) => done,
    CATCH_UP_MS,
  )
  const subjects = toAda().map((m) => m.subject)
  assert.equal(new Set(subjects).size, subjects.length, `one mail each, none doubled: ${JSON.stringify(subjects)}`)
  const perEvent = await notificationDb.query<{ event_type: string; n: number }>(
    'SELECT event_type, count(*)::int AS n FROM notifications WHERE customer_id = $1 GROUP BY 1 ORDER BY 1',
    [ada.id],
  )
  for (const r of perEvent.rows) assert.equal(r.n, 1, `${r.event_type} notified once`)
  assert.ok(perEvent.rows.some((r) => r.event_type === 'DepositCompleted'))

  // The audit service stores every record the bus holds, once, and the chain verifies.
  const { rows: records } = await bus.query<{ topic: string; partition: number; offset: string }>(
    'SELECT topic, partition, "offset" FROM bus_log',
  )
  const key = (r: { topic: string; partition: number; offset: string }) => `${r.topic}/${r.partition}/${r.offset}`
  await until(
    `the audit log to hold the bus's ${records.length} records`,
    async () => {
      const stored = await audit.query<{ topic: string; partition: number; offset: string }>(
        'SELECT topic, partition, "offset" FROM audit_log',
      )
      const have = new Set(stored.rows.map(key))
      return records.filter((r) => !have.has(key(r))).map(key)
    },
    (missing) => missing.length === 0,
    CATCH_UP_MS,
  )
  const doubled = await audit.query('SELECT topic, partition, "offset" FROM audit_log GROUP BY 1, 2, 3 HAVING count(*) > 1')
  assert.deepEqual(doubled.rows, [], 'each record stored once')
  const verified = await verifyChain(audit)
  assert.equal(verified.intact, true, verified.message)

  // The order's whole saga is in its trail, though it ran while the audit service was down.
  const trail = await p.api('GET', `/api/audit/events?orderId=${placed.body.id}&size=100`, { token: admin })
  assert.equal(trail.status, 200)
  const types = new Set(trail.body.content.map((e: { type: string }) => e.type))
  for (const type of ['OrderCreated', 'OrderConfirmed', 'SettlementCompleted']) assert.ok(types.has(type), `${type} in the trail`)
})
