import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { teardown } from '@brokerage/platform/testing'
import { startMailCatcher } from '../../services/notification/src/mail-catcher.js'
import { openSocket } from '../../services/gateway/src/live/testing.js'
import { startPlatform } from './harness.js'
import { createCustomer, deposit, until } from './helpers.js'

// Notifications through the gateway on real processes: the notification service mails a
// real SMTP server the test runs (the mail catcher, on smtp-server), a fill reaches its
// owner by email and over the gateway's WebSocket (NotificationCreated from the real service,
// never to another customer's socket), preferences switch a channel off, and bad input on every notification
// route answers 4xx in the one error shape and changes nothing.

test('notifications through the gateway on real processes', async (t) => {
  const mail = await startMailCatcher()
  teardown(t).after(() => mail.stop())
  const p = await startPlatform(t, { serviceEnv: { notification: { SMTP_URL: mail.smtpUrl, DELIVERY_POLL_MS: '50' } } })
  const admin = await p.login('admin', 'admin')
  const ada = await createCustomer(p, admin, { name: 'Ada Lovelace' })
  const adaToken = await p.login(ada.email, ada.password)
  const bo = await createCustomer(p, admin, { name: 'Bo' })
  const boToken = await p.login(bo.email, bo.password)
  const wsUrl = p.wsUrl()
  const history = async (token: string) => (await p.api('GET', '/api/notifications?size=100', { token })).body

  await t.test('when a customer is created, then a welcome mail with how to sign in reaches the SMTP server', async () => {
    const welcome = await mail.waitFor((m) => m.to.includes(ada.email))
    assert.equal(welcome.subject, 'Welcome to Brokerage, Ada Lovelace')
    assert.match(welcome.text, new RegExp(`To sign in, go to .* and use your email ${ada.email.replaceAll('.', '\\.')}`))
  })

  await t.test(
    'when an order fills, then its owner gets it on their socket as a notification and by email, and another customer’s socket never does',
    async () => {
      await deposit(p, admin, ada.id, 1_000_000)
      // Sockets open before the fill: the gateway's feed shows what happens from now on.
      const adaSocket = await openSocket(wsUrl, adaToken)
      const boSocket = await openSocket(wsUrl, boToken)
      teardown(t).after(() => [adaSocket, boSocket].forEach((s) => s.close()))
      const placed = await p.api('POST', '/api/orders', {
        token: admin,
        body: { customerId: ada.id, assetName: 'AAPL', side: 'BUY', size: 5, price: 15_000 },
        headers: { prefer: 'wait=10' },
      })
      assert.equal(placed.body.status, 'CONFIRMED', JSON.stringify(placed.body))
      const fillAt = performance.now()
      assert.equal((await p.api('POST', `/api/orders/${placed.body.id}/match`, { token: admin })).status, 202)
      const settled = await adaSocket.received(
        (m) => m.category === 'order' && m.data.orderId === placed.body.id && m.status === 'MATCHED',
        'the fill (SettlementCompleted)',
      )
      const note = await adaSocket.received(
        (m) => m.category === 'notification' && m.data.eventId === settled.eventId,
        'the fill’s notification on the socket',
      )
      const [noteAt, noteWallClock] = [performance.now(), Date.now()]
      assert.equal(note.event, 'NotificationCreated')
      assert.equal(note.customerId, ada.id)
      assert.equal(note.data.eventType, 'OrderFilled')
      assert.equal(note.data.title, 'Your buy order for AAPL is filled')
      assert.match(note.data.body, /5 AAPL filled at 150\.00 TRY each/)
      // Measured, not asserted: the machine is shared (the issue asks for under a second).
      console.log(
        `fill → notification on the owner's socket: ${(noteAt - fillAt).toFixed(0)} ms from the match request, ` +
          `${noteWallClock - Date.parse(settled.occurredAt)} ms from SettlementCompleted (occurredAt)`,
      )
      await boSocket.barrier()
      assert.deepEqual(
        boSocket.events().filter((m) => m.customerId !== bo.id || JSON.stringify(m).includes(ada.id) || m.eventId === note.eventId),
        [],
        'nothing of Ada’s on Bo’s socket',
      )
      const filled = await mail.waitFor((m) => m.to.includes(ada.email) && m.subject === 'Your buy order for AAPL is filled')
      assert.match(filled.text, /5 AAPL filled at 150\.00 TRY each\. The order is complete: 5 filled, 0 remaining\./)
      const list = await until(
        'the fill in the history with its email sent',
        () => history(adaToken),
        (h) =>
          h.content.some(
            (n: any) => n.eventType === 'OrderFilled' && n.deliveries.some((d: any) => d.channel === 'EMAIL' && d.status === 'SENT'),
          ),
      )
      const n = list.content.find((x: any) => x.eventType === 'OrderFilled')
      const email = n.deliveries.find((d: any) => d.channel === 'EMAIL')
      assert.equal(email.attempts, 1)
      assert.ok(Date.parse(email.sentAt) >= Date.parse(email.createdAt))
      assert.equal(n.id, note.data.notificationId, 'the socket message is the recorded notification')
      assert.deepEqual(
        list.content.map((x: any) => x.createdAt),
        [...list.content.map((x: any) => x.createdAt)].sort().reverse(),
        'newest first',
      )
    },
  )

  await t.test('when a customer switches email off for deposits, then the next deposit records no email and sends none', async () => {
    const put = await p.api('PUT', '/api/notifications/preferences', {
      token: adaToken,
      body: { preferences: [{ eventType: 'DepositCompleted', channel: 'EMAIL', enabled: false }] },
    })
    assert.equal(put.status, 200, JSON.stringify(put.body))
    const got = await p.api('GET', '/api/notifications/preferences', { token: adaToken })
    const pref = (kind: string, channel: string) => got.body.preferences.find((x: any) => x.eventType === kind && x.channel === channel)
    assert.equal(pref('DepositCompleted', 'EMAIL').enabled, false)
    assert.equal(pref('DepositCompleted', 'WEBSOCKET').enabled, true)
    const depositMails = () => mail.mails().filter((m) => m.to.includes(ada.email) && m.subject.startsWith('Deposit')).length
    const before = depositMails()
    await deposit(p, admin, ada.id, 12_345)
    const list = await until(
      'the second deposit notification',
      () => history(adaToken),
      (h) => h.content.filter((n: any) => n.eventType === 'DepositCompleted').length === 2,
    )
    const latest = list.content.find((n: any) => n.eventType === 'DepositCompleted')
    assert.match(latest.title, /123\.45 TRY/)
    assert.deepEqual(
      latest.deliveries.map((d: any) => d.channel),
      ['WEBSOCKET'],
    )
    // The earlier mails were all sent before this one was recorded; nothing has been added since.
    assert.equal(depositMails(), before)
  })

  await t.test('when the contact details are set, then the locale changes the language of the next message', async () => {
    const res = await p.api('PUT', '/api/notifications/contact', { token: adaToken, body: { phone: '+905551234567', locale: 'tr' } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.deepEqual([res.body.email, res.body.phone, res.body.locale], [ada.email, '+905551234567', 'tr'])
    assert.ok(res.body.vapidPublicKey.length > 80)
    await p.api('PUT', `/api/customers/${ada.id}/tier`, { token: admin, body: { tier: 'VIP' } })
    const tier = await mail.waitFor((m) => m.to.includes(ada.email) && m.subject === 'Seviyeniz artık VIP')
    assert.match(tier.text, /^Merhaba Ada Lovelace,/)
  })

  await t.test('when a route gets bad input, then it answers 4xx in the error shape and changes nothing', async () => {
    const db = p.db('notification')
    const state = async () => ({
      contact: (await p.api('GET', '/api/notifications/contact', { token: adaToken })).body,
      prefs: (await db.query('SELECT * FROM preferences ORDER BY 1, 2, 3')).rows,
      subs: (await db.query('SELECT * FROM push_subscriptions ORDER BY 1')).rows,
    })
    const before = await state()
    const cases: Array<[string, string, unknown, number]> = [
      ['GET', '/api/notifications?customerId=nope', undefined, 400],
      ['GET', '/api/notifications?size=1000', undefined, 400],
      ['GET', '/api/notifications?colour=red', undefined, 400],
      ['GET', `/api/notifications?customerId=${randomUUID()}`, undefined, 404],
      ['GET', '/api/notifications/preferences?customerId=1', undefined, 400],
      ['PUT', '/api/notifications/preferences', { preferences: [] }, 400],
      ['PUT', '/api/notifications/preferences', { preferences: [{ eventType: 'NoSuchEvent', channel: 'EMAIL', enabled: true }] }, 400],
      ['PUT', '/api/notifications/preferences', { preferences: [{ eventType: 'OrderFilled', channel: 'PIGEON', enabled: true }] }, 400],
      ['PUT', '/api/notifications/preferences', { preferences: [{ eventType: 'OrderFilled', channel: 'SMS', enabled: 'yes' }] }, 400],
      ['GET', '/api/notifications/contact?customerId=x', undefined, 400],
      ['PUT', '/api/notifications/contact', { phone: '0555 123 45 67' }, 400],
      ['PUT', '/api/notifications/contact', { locale: 'de' }, 400],
      ['PUT', '/api/notifications/contact', {}, 400],
      ['PUT', '/api/notifications/contact', { email: 'x@example.com' }, 400],
      [
        'POST',
        '/api/notifications/push-subscriptions',
        { endpoint: 'http://push.example/x', keys: { p256dh: 'a'.repeat(87), auth: 'b'.repeat(22) } },
        400,
      ],
      ['POST', '/api/notifications/push-subscriptions', { endpoint: 'https://push.example/x', keys: { p256dh: 'short', auth: '!' } }, 400],
      ['POST', '/api/notifications/push-subscriptions', { endpoint: 'https://push.example/x' }, 400],
      ['DELETE', '/api/notifications/push-subscriptions/nope', undefined, 400],
      ['DELETE', `/api/notifications/push-subscriptions/${randomUUID()}`, undefined, 404],
    ]
    for (const [method, path, body, status] of cases) {
      const res = await p.api(method, path, { token: adaToken, body })
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`)
      assert.equal(typeof res.body.error.code, 'string', `${method} ${path}: error shape`)
      assert.equal(typeof res.body.error.message, 'string')
      assert.equal(typeof res.body.requestId, 'string')
    }
    assert.deepEqual(await state(), before)
  })
})
