import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createECDH, randomBytes, randomUUID } from 'node:crypto'
import * as ece from 'http_ece'
import { eventually, failure } from '@brokerage/platform/testing'
import { actor, recordingServer, startHarness } from './harness.js'

// A local push service stands in for the browser vendor's: it records the request, and the
// test decrypts the payload with the subscription's private key and auth secret (RFC 8291),
// as the browser would.

test('when web push is on, then the push service gets a VAPID-signed request whose payload decrypts to the notification; a 410 removes the subscription', async (t) => {
  const h = await startHarness(t)
  const push = await recordingServer(t)
  const { customerId } = await h.customer()
  const browser = createECDH('prime256v1')
  browser.generateKeys()
  const auth = randomBytes(16)
  const sub = await h.call('AddPushSubscription', {
    actor,
    customer_id: customerId,
    endpoint: `${push.url}/push/${randomUUID()}`,
    p256dh: browser.getPublicKey().toString('base64url'),
    auth: auth.toString('base64url'),
  })
  const contact = await h.call('GetContact', { customer_id: customerId })
  assert.deepEqual(
    contact.push_subscriptions.map((s) => s.id),
    [sub.id],
  )
  assert.equal(contact.vapid_public_key, h.svc.vapidPublicKey)
  await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [
      { event_type: 'DepositCompleted', channel: 'WEB_PUSH', enabled: true },
      { event_type: 'WithdrawalCompleted', channel: 'WEB_PUSH', enabled: true },
    ],
  })

  const deposit = { movementId: randomUUID(), customerId, assetName: 'TRY', amount: 25_000, completedAt: new Date().toISOString() }
  await h.event('DepositCompleted', deposit)
  const [req] = await push.requests.until((r) => r.length >= 1)
  assert.equal(req!.method, 'POST')
  assert.equal(req!.headers['content-encoding'], 'aes128gcm')
  assert.match(String(req!.headers.authorization), new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${h.svc.vapidPublicKey}$`))
  const payload = JSON.parse(ece.decrypt(req!.body, { version: 'aes128gcm', privateKey: browser, authSecret: auth }).toString())
  assert.equal(payload.eventType, 'DepositCompleted')
  assert.equal(payload.title, 'Deposit of 250.00 TRY completed')
  assert.equal(payload.body, '250.00 TRY has been credited to your account and can be used now.')
  await eventually(async () => (await h.deliveries(customerId)).find((d) => d.channel === 'WEB_PUSH' && d.status === 'SENT'))

  push.answer(() => ({ status: 410 }))
  await h.event('WithdrawalCompleted', { ...deposit, movementId: randomUUID() })
  const failed = await eventually(async () =>
    (await h.deliveries(customerId)).find(
      (d) => d.channel === 'WEB_PUSH' && d.event_type === 'WithdrawalCompleted' && d.status === 'FAILED',
    ),
  )
  assert.equal(failed.attempts, 1)
  assert.match(failed.last_error, /410/)
  assert.deepEqual((await h.call('GetContact', { customer_id: customerId })).push_subscriptions, [])
})

test('when one of two push subscriptions fails once, then the retry goes to that one only and each gets the notification exactly once', async (t) => {
  const h = await startHarness(t)
  const push = await recordingServer(t)
  const { customerId } = await h.customer()
  const subscribe = async (name: string) => {
    const browser = createECDH('prime256v1')
    browser.generateKeys()
    const auth = randomBytes(16)
    await h.call('AddPushSubscription', {
      actor,
      customer_id: customerId,
      endpoint: `${push.url}/push/${name}`,
      p256dh: browser.getPublicKey().toString('base64url'),
      auth: auth.toString('base64url'),
    })
    return (body: Buffer) => JSON.parse(ece.decrypt(body, { version: 'aes128gcm', privateKey: browser, authSecret: auth }).toString())
  }
  const [phone, laptop] = [await subscribe('phone'), await subscribe('laptop')]
  await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [{ event_type: 'DepositCompleted', channel: 'WEB_PUSH', enabled: true }],
  })
  // The laptop's push service is down for its first request; the phone's takes everything.
  let laptopTries = 0
  push.answer((r) => (r.url === '/push/laptop' && laptopTries++ === 0 ? { status: 503 } : { status: 201 }))

  const deposit = { movementId: randomUUID(), customerId, assetName: 'TRY', amount: 25_000, completedAt: new Date().toISOString() }
  await h.event('DepositCompleted', deposit)
  const pushes = await eventually(async () => {
    const ds = (await h.deliveries(customerId)).filter((d) => d.channel === 'WEB_PUSH')
    return ds.length === 2 && ds.every((d) => d.status === 'SENT') && ds
  })
  assert.deepEqual(
    pushes.map((d) => d.attempts).sort(),
    [1, 2],
    'one delivery per subscription: the phone’s sent at once, the laptop’s on its retry',
  )
  const to = (name: string) => push.requests.items.filter((r) => r.url === `/push/${name}`)
  assert.equal(to('phone').length, 1, 'the phone is not sent the notification again')
  assert.equal(to('laptop').length, 2)
  for (const [decrypt, req] of [
    [phone, to('phone')[0]!],
    [laptop, to('laptop')[1]!],
  ] as const) {
    assert.equal(decrypt(req.body).title, 'Deposit of 250.00 TRY completed')
  }
})

test('when a push endpoint names this machine or a private network, then it is refused when added and never called when delivering', async (t) => {
  const h = await startHarness(t, { pushAllowPrivate: false })
  const push = await recordingServer(t)
  const { customerId } = await h.customer()
  const browser = createECDH('prime256v1')
  browser.generateKeys()
  const keys = { p256dh: browser.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') }
  for (const endpoint of [
    `${push.url}/push/x`,
    'https://localhost/push',
    'https://api.localhost./push',
    'https://[::1]:8443/push',
    'https://169.254.169.254/latest/meta-data',
    'https://10.0.0.7/push',
    'https://192.168.1.1/push',
    'https://[::ffff:127.0.0.1]/push',
    'https://2130706433/push', // 127.0.0.1 as one number
  ]) {
    const err = await failure(h.call('AddPushSubscription', { actor, customer_id: customerId, endpoint, ...keys }))
    assert.equal(err.code, 'VALIDATION_FAILED', endpoint)
    assert.deepEqual(
      (err.details as Array<{ field: string }>).map((d) => d.field),
      ['endpoint'],
      endpoint,
    )
  }
  assert.deepEqual((await h.call('GetContact', { customer_id: customerId })).push_subscriptions, [])

  // A subscription stored before this check (or by a name that now resolves inward) is not called.
  await h.db.query(
    'INSERT INTO push_subscriptions (id, customer_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, now())',
    [randomUUID(), customerId, `${push.url}/push/stored`, keys.p256dh, keys.auth],
  )
  await h.call('SetPreferences', {
    actor,
    customer_id: customerId,
    preferences: [{ event_type: 'DepositCompleted', channel: 'WEB_PUSH', enabled: true }],
  })
  await h.event('DepositCompleted', {
    movementId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 100,
    completedAt: new Date().toISOString(),
  })
  const failed = await eventually(async () =>
    (await h.deliveries(customerId)).find((d) => d.channel === 'WEB_PUSH' && d.status === 'FAILED'),
  )
  assert.equal(failed.attempts, 1)
  assert.equal(failed.last_error, 'endpoint not called: its host must be a public address')
  assert.equal(push.requests.items.length, 0)
})
