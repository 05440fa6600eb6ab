import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { AppError } from '@brokerage/platform'
import { eventually, freePort, ofType } from '@brokerage/platform/testing'
import { actor, startHarness } from './harness.js'

const fill = (customerId: string, o: { size: number; price: number; filledSize: number; remainingSize: number }) => ({
  tradeId: randomUUID(),
  orderId: randomUUID(),
  customerId,
  assetName: 'AAPL',
  side: 'BUY' as const,
  settledAt: new Date().toISOString(),
  ...o,
})

test('when CustomerCreated arrives, then the welcome mail reaches the SMTP server, the live feed gets NotificationCreated and the history says so', async (t) => {
  const h = await startHarness(t)
  const { customerId, email, created } = await h.customer('Ada Lovelace')
  const mail = await h.mail.waitFor((m) => m.to.includes(email))
  assert.deepEqual(mail.to, [email])
  assert.equal(mail.subject, 'Welcome to Brokerage, Ada Lovelace')
  assert.match(mail.text, /^Hello Ada Lovelace,/)
  assert.match(mail.text, new RegExp(`To sign in, go to https://brokerage.test/login and use your email ${email}`))
  assert.match(mail.from, /no-reply@brokerage\.test/)

  const live = await h.next('NotificationCreated', { customerId })
  assert.equal(live.data.eventType, 'CustomerCreated')
  assert.equal(live.data.eventId, created.id)
  assert.equal(live.key, customerId)

  const history = await eventually(async () => {
    const res = await h.call('ListNotifications', { customer_id: customerId, page: { page: 0, size: 10 } })
    return res.content[0]?.deliveries.find((d) => d.channel === 'EMAIL')?.status === 'SENT' && res
  })
  assert.equal(history.page?.total_elements, 1)
  const n = history.content[0]!
  assert.equal(n.event_type, 'CustomerCreated')
  assert.deepEqual(n.deliveries.map((d) => [d.channel, d.status, d.attempts]).sort(), [
    ['EMAIL', 'SENT', 1],
    ['WEBSOCKET', 'SENT', 1],
  ])

  const page = await (await fetch(h.mail.webUrl)).text()
  assert.match(page, /Welcome to Brokerage, Ada Lovelace/, 'the mail catcher lists the mail')
  // The counters move just after SENT is stored: wait for them rather than read them once.
  const sent = /notification_deliveries_total\{[^}]*channel="EMAIL",outcome="sent"[^}]*\} 1\n/
  const metrics = await eventually(
    async () => {
      const text = await (await fetch(`http://127.0.0.1:${h.svc.runtime.ports.http}/metrics`)).text()
      return sent.test(text) && text
    },
    { what: 'the sent e-mail counted in /metrics' },
  )
  assert.match(metrics, sent)
  assert.match(metrics, /notification_delivery_latency_seconds_count\{[^}]*channel="EMAIL"[^}]*\} 1\n/)
  assert.match(metrics, /notification_queue_depth/)
  const ready = await fetch(`http://127.0.0.1:${h.svc.runtime.ports.http}/health/ready`)
  assert.equal(ready.status, 200)
})

test('when many mails go out at once, then they share the pooled SMTP connections instead of one connection each', async (t) => {
  const h = await startHarness(t, { smtpMaxConnections: 2 })
  const customers = await Promise.all(Array.from({ length: 12 }, () => h.customer()))
  await Promise.all(customers.map((c) => h.mail.waitFor((m) => m.to.includes(c.email))))
  assert.ok(h.mail.connections() <= 2, `12 mails over ${h.mail.connections()} connections, at most 2 expected`)
})

test('when the same event is delivered twice, then it is recorded and mailed once', async (t) => {
  const h = await startHarness(t)
  const { customerId, email } = await h.customer()
  const e = newEnvelope('DepositCompleted', {
    movementId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 1_000_050,
    completedAt: new Date().toISOString(),
  })
  await h.deliver(e)
  await h.deliver(e)
  await h.mail.waitFor((m) => m.to.includes(email) && m.subject.startsWith('Deposit'))
  await eventually(async () => (await h.deliveries(customerId)).every((d) => d.status === 'SENT'))
  const deposits = (await h.deliveries(customerId)).filter((d) => d.event_type === 'DepositCompleted')
  assert.deepEqual(deposits.map((d) => d.channel).sort(), ['EMAIL', 'WEBSOCKET'])
  assert.equal(h.mail.mails().filter((m) => m.to.includes(email) && m.subject.startsWith('Deposit')).length, 1)
  assert.equal(ofType(await h.emitted(), 'NotificationCreated', { eventId: e.id }).length, 1)
  assert.equal(h.mail.mails().find((m) => m.subject.startsWith('Deposit'))!.subject, 'Deposit of 10,000.50 TRY completed')
})

test('when fills settle for a Turkish-speaking customer, then each mail names price, size and remaining in Turkish', async (t) => {
  const h = await startHarness(t)
  const { customerId, email } = await h.customer()
  await h.call('SetContact', { actor, customer_id: customerId, locale: 'tr' })
  await h.event('SettlementCompleted', fill(customerId, { size: 4, price: 15_050, filledSize: 4, remainingSize: 6 }))
  await h.event('SettlementCompleted', fill(customerId, { size: 6, price: 15_000, filledSize: 10, remainingSize: 0 }))
  const partial = await h.mail.waitFor((m) => m.to.includes(email) && m.subject.includes('kısmen'))
  assert.equal(partial.subject, 'AAPL alış emriniz kısmen gerçekleşti')
  assert.match(partial.text, /4 adet AAPL tanesi 150,50 TRY fiyattan gerçekleşti\. Şimdiye kadar gerçekleşen: 4; kalan: 6\./)
  const full = await h.mail.waitFor((m) => m.to.includes(email) && m.subject.includes('tamamen'))
  assert.match(full.text, /6 adet AAPL tanesi 150,00 TRY fiyattan.*10 gerçekleşti, kalan 0/s)
})

test('when a customer switches email off for a kind, then that kind records no email delivery and the others still mail', async (t) => {
  const h = await startHarness(t)
  const { customerId, email } = await h.customer()
  const prefs = await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [
      { event_type: 'OrderCancelled', channel: 'EMAIL', enabled: false },
      { event_type: 'OrderCancelled', channel: 'WEBSOCKET', enabled: false },
    ],
  })
  const of = (kind: string, channel: string) => prefs.preferences.find((p) => p.event_type === kind && p.channel === channel)?.enabled
  assert.equal(of('OrderCancelled', 'EMAIL'), false)
  assert.equal(of('OrderRejected', 'EMAIL'), true, 'defaults: email on')
  assert.equal(of('OrderRejected', 'SMS'), false, 'defaults: SMS off')
  assert.equal(of('OrderRejected', 'WEB_PUSH'), false, 'defaults: web push off')
  const cancelled = await h.event('OrderCancelled', {
    orderId: randomUUID(),
    customerId,
    assetName: 'AAPL',
    side: 'SELL',
    price: 15_000,
    cancelledSize: 3,
    reason: 'REQUESTED',
    cancelledAt: new Date().toISOString(),
  })
  await h.event('OrderRejected', {
    orderId: randomUUID(),
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    reason: 'INSUFFICIENT_BALANCE',
    rejectedAt: new Date().toISOString(),
  })
  const rejected = await h.mail.waitFor((m) => m.to.includes(email) && m.subject.includes('rejected'))
  assert.match(rejected.text, /was rejected: insufficient balance\./)
  const rows = await h.deliveries(customerId)
  assert.deepEqual(
    rows.filter((r) => r.event_type === 'OrderCancelled').map((r) => r.channel),
    [],
  )
  assert.equal(ofType(await h.emitted(), 'NotificationCreated', { eventId: cancelled.id }).length, 0)
})

test('when SMS is on, then the Twilio-shaped provider gets the form; a 5xx is retried, a 4xx fails at once with its error', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await h.customer()
  await h.call('SetContact', { actor, customer_id: customerId, set_phone: true, phone: '+905551234567' })
  await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [
      { event_type: 'DepositCompleted', channel: 'SMS', enabled: true },
      { event_type: 'DepositRejected', channel: 'SMS', enabled: true },
    ],
  })
  // First request 503, then 201: one retry, then SENT.
  h.sms.answer((_r, n) => (n === 0 ? { status: 503, body: '{"message":"busy"}' } : { status: 201, body: '{"sid":"SM1"}' }))
  await h.event('DepositCompleted', {
    movementId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 500,
    completedAt: new Date().toISOString(),
  })
  const [first, second] = await h.sms.requests.until((r) => r.length >= 2)
  assert.equal(first!.method, 'POST')
  assert.equal(first!.url, '/2010-04-01/Accounts/AC123/Messages.json')
  assert.equal(first!.headers.authorization, `Basic ${Buffer.from('AC123:secret').toString('base64')}`)
  const form = new URLSearchParams(second!.body.toString())
  assert.equal(form.get('To'), '+905551234567')
  assert.equal(form.get('From'), '+15005550006')
  assert.equal(form.get('Body'), 'Brokerage: deposit of 5.00 TRY completed.')
  const sent = await eventually(async () => (await h.deliveries(customerId)).find((d) => d.channel === 'SMS' && d.status === 'SENT'))
  assert.equal(sent.attempts, 2)

  h.sms.answer(() => ({ status: 400, body: '{"code":21211,"message":"The To number is not valid"}' }))
  await h.event('DepositRejected', {
    movementId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 500,
    reason: 'INVALID_AMOUNT',
    rejectedAt: new Date().toISOString(),
  })
  const failed = await eventually(async () =>
    (await h.deliveries(customerId)).find((d) => d.channel === 'SMS' && d.event_type === 'DepositRejected' && d.status === 'FAILED'),
  )
  assert.equal(failed.attempts, 1, 'a 4xx is not retried')
  assert.equal(failed.last_error, 'SMS provider answered 400: The To number is not valid')
  assert.equal(h.sms.requests.items.length, 3)
})

test('when the SMTP server is dead, then email is retried with backoff and ends FAILED with the last error, while SMS and the live feed still deliver', async (t) => {
  const dead = await freePort() // nothing listens there: every connection is refused
  const h = await startHarness(t, { smtpUrl: `smtp://127.0.0.1:${dead}`, retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 50 } })
  const { customerId } = await h.customer()
  await h.call('SetContact', { actor, customer_id: customerId, set_phone: true, phone: '+905551234567' })
  await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [{ event_type: 'WithdrawalCompleted', channel: 'SMS', enabled: true }],
  })
  const e = await h.event('WithdrawalCompleted', {
    movementId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 700,
    completedAt: new Date().toISOString(),
  })
  await h.sms.requests.until((r) => r.length >= 1)
  assert.equal(ofType(await h.emitted(), 'NotificationCreated', { eventId: e.id }).length, 1)
  const email = await eventually(async () =>
    (await h.deliveries(customerId)).find((d) => d.channel === 'EMAIL' && d.event_type === 'WithdrawalCompleted' && d.status === 'FAILED'),
  )
  assert.equal(email.attempts, 3)
  assert.match(email.last_error, /ECONNREFUSED/)
  // The provider records the SMS before it answers, and the sender records SENT only after the answer.
  const sms = await eventually(async () => (await h.deliveries(customerId)).find((d) => d.channel === 'SMS' && d.status === 'SENT'), {
    what: 'the SMS recorded as sent',
  })
  assert.equal(sms.attempts, 1)
})

test('when a request is bad, then every bad field is named and nothing changes', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await h.customer()
  const snapshot = async () => {
    const out: Record<string, unknown[]> = {}
    for (const table of ['contacts', 'preferences', 'push_subscriptions', 'notifications', 'deliveries'])
      out[table] = (await h.db.query(`SELECT * FROM ${table} ORDER BY 1`)).rows
    return out
  }
  // The welcome message's deliveries are sent on their own schedule: the snapshot waits for them.
  await eventually(
    async () => (await h.db.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE status = 'PENDING'")).rows[0]!.n === 0,
    { what: 'the welcome deliveries to settle' },
  )
  const before = await snapshot()
  const refuses = async (p: Promise<unknown>, fields: string[]) => {
    const err = await p.then(
      () => assert.fail('expected VALIDATION_FAILED'),
      (e: unknown) => e,
    )
    assert.ok(err instanceof AppError)
    assert.equal(err.code, 'VALIDATION_FAILED')
    assert.deepEqual((err.details as Array<{ field: string }>).map((d) => d.field).sort(), fields.sort())
  }
  await refuses(h.call('ListNotifications', { customer_id: 'nope', page: { page: -1, size: 500 } }), [
    'customer_id',
    'page.page',
    'page.size',
  ])
  await refuses(h.call('GetPreferences', { customer_id: '' }), ['customer_id'])
  await refuses(
    h.call('SetPreferences', {
      actor,
      customer_id: customerId,
      preferences: [
        { event_type: 'NoSuchEvent', channel: 'EMAIL', enabled: false },
        { event_type: 'OrderFilled', channel: 'CHANNEL_UNSPECIFIED', enabled: false },
        { event_type: 'OrderFilled', channel: 'SMS', enabled: true },
        { event_type: 'OrderFilled', channel: 'SMS', enabled: false },
      ],
    }),
    ['preferences[0].event_type', 'preferences[1].channel', 'preferences[3]'],
  )
  await refuses(h.call('SetContact', { actor, customer_id: customerId, set_phone: true, phone: '0555 123', locale: 'de' }), [
    'phone',
    'locale',
  ])
  await refuses(h.call('SetContact', { actor, customer_id: customerId }), ['phone'])
  await refuses(h.call('AddPushSubscription', { actor, customer_id: customerId, endpoint: 'ftp://x', p256dh: 'short', auth: '!!' }), [
    'endpoint',
    'p256dh',
    'auth',
  ])
  await refuses(h.call('RemovePushSubscription', { actor, customer_id: customerId, id: 'x' }), ['id'])
  assert.deepEqual(await snapshot(), before)
})
