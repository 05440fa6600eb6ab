import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec } from '@brokerage/platform'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { eventually, teardown } from '@brokerage/platform/testing'
import { liveFeedGroups, openSocket, refusal, type LiveClient, type Received } from '../../services/gateway/src/live/testing.js'
import { startPlatform } from './harness.js'
import { createCustomer, deposit } from './helpers.js'

// The live feed at /api/ws on real processes, with a real WebSocket client: orders driven
// to fills through the gateway, each socket checked to see its own account's events and
// never another's.

const orderEvents = (s: LiveClient, orderId: string) => s.events().filter((m) => m.category === 'order' && m.data.orderId === orderId)

test('the live feed end to end', async (t) => {
  const p = await startPlatform(t)
  const wsUrl = p.wsUrl()
  const admin = await p.login('admin', 'admin')
  const broker = await p.api('POST', '/api/brokers', {
    token: admin,
    body: { name: 'Broker L', email: 'broker-l@example.com', password: 'broker-password' },
  })
  assert.equal(broker.status, 201)
  const brokerToken = await p.login('broker-l@example.com', 'broker-password')
  // The broker creates Ada, so Ada is theirs; Bo is not.
  const ada = await createCustomer(p, brokerToken, { name: 'Ada' })
  const bo = await createCustomer(p, admin, { name: 'Bo' })
  const [adaToken, boToken] = [await p.login(ada.email, ada.password), await p.login(bo.email, bo.password)]

  await t.test('when no token or a bad one is sent, then the upgrade is refused with 401', async () => {
    assert.equal((await refusal(wsUrl)).status, 401)
    assert.equal((await refusal(wsUrl, { authorization: 'Bearer not.a.token' })).status, 401)
    assert.equal((await refusal(`${wsUrl}?access_token=${adaToken.slice(0, -3)}abc`)).status, 401)
  })

  // The gateway's live feed groups, as the bus lists them.
  const busDb = new pg.Pool({ connectionString: p.busUrl, max: 1 })
  teardown(t).after(() => busDb.end())
  const liveGroups = () => liveFeedGroups((sql) => busDb.query<{ group_id: string }>(sql))

  await t.test('when no socket has opened yet, then the gateway reads nothing of the bus (it has no consumer group)', async () => {
    assert.deepEqual(await liveGroups(), [])
  })

  const adaSocket = await openSocket(wsUrl, adaToken)
  const boSocket = await openSocket(`${wsUrl}?access_token=${boToken}`)
  const brokerSocket = await openSocket(wsUrl, brokerToken)
  const adminSocket = await openSocket(wsUrl, admin)
  t.after(() => [adaSocket, boSocket, brokerSocket, adminSocket].forEach((s) => s.close()))

  await t.test('when a customer subscribes to another customer, then it is refused and the broker only gets theirs', async () => {
    assert.equal((await liveGroups()).length, 1, 'the open sockets share one consumer')
    assert.deepEqual(adaSocket.ready.subscriptions, [ada.id])
    const refused = await adaSocket.request({ type: 'subscribe', customerId: bo.id })
    assert.deepEqual([refused.type, refused.code], ['error', 'NOT_FOUND'])
    assert.equal((await brokerSocket.request({ type: 'subscribe', customerId: bo.id })).code, 'NOT_FOUND')
    assert.deepEqual(await brokerSocket.request({ type: 'subscribe', customerId: ada.id }), { type: 'subscribed', customerId: ada.id })
    assert.deepEqual(await adminSocket.request({ type: 'subscribe', customerId: '*' }), { type: 'subscribed', customerId: '*' })
  })

  await t.test(
    'when both customers deposit and fill an order, then each socket gets its own status and balance changes only, the broker its customer’s',
    async () => {
      await deposit(p, admin, ada.id, 1_000_000)
      await deposit(p, admin, bo.id, 1_000_000)
      const place = async (customerId: string) => {
        const res = await p.api('POST', '/api/orders', {
          token: admin,
          body: { customerId, assetName: 'AAPL', side: 'BUY', size: 3, price: 15_000 },
          headers: { prefer: 'wait=10' },
        })
        assert.equal(res.body.status, 'CONFIRMED', JSON.stringify(res.body))
        assert.equal((await p.api('POST', `/api/orders/${res.body.id}/match`, { token: admin })).status, 202)
        return res.body.id as string
      }
      const [adaOrder, boOrder] = [await place(ada.id), await place(bo.id)]

      for (const [s, customerId, orderId] of [
        [adaSocket, ada.id, adaOrder],
        [boSocket, bo.id, boOrder],
        [brokerSocket, ada.id, adaOrder],
      ] as const) {
        await s.received((m) => m.category === 'order' && m.data.orderId === orderId && m.status === 'MATCHED', `${orderId} MATCHED`)
        await s.received((m) => m.event === 'AssetTransferred' && m.data.orderId === orderId, 'the fill’s balance change')
        await s.received((m) => m.event === 'DepositCompleted' && m.customerId === customerId, 'the deposit')
        await s.received((m) => m.event === 'AssetReserved' && m.data.orderId === orderId, 'the reservation')
        await s.received((m) => m.category === 'trade' && m.data.orderId === orderId, 'the trade')
        // Events of different topics may arrive in either order; occurredAt orders them.
        assert.deepEqual(
          orderEvents(s, orderId)
            .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
            .map((m) => m.status),
          ['PENDING', 'CONFIRMED', 'MATCHED'],
        )
        const transferred = s.events().find((m) => m.event === 'AssetTransferred' && m.data.orderId === orderId)!
        const change = (asset: string) => transferred.data.changes.find((c: Received) => c.assetName === asset)
        assert.deepEqual(
          [change('TRY'), change('AAPL')],
          [
            { assetName: 'TRY', sizeDelta: -45_000, usableSizeDelta: 0 },
            { assetName: 'AAPL', sizeDelta: 3, usableSizeDelta: 3 },
          ],
        )
      }

      // Everything of both customers has reached the admin; a ping round trip on each
      // socket then flushes anything that was sent to it, and none of it is another's.
      await adminSocket.received((m) => m.status === 'MATCHED' && m.data.orderId === boOrder)
      await adminSocket.received((m) => m.status === 'MATCHED' && m.data.orderId === adaOrder)
      for (const [s, own, other] of [
        [adaSocket, ada.id, bo.id],
        [boSocket, bo.id, ada.id],
        [brokerSocket, ada.id, bo.id],
      ] as const) {
        await s.barrier()
        assert.deepEqual(
          s.events().filter((m: Received) => m.customerId !== own || JSON.stringify(m).includes(other)),
          [],
        )
      }
    },
  )

  await t.test(
    'when the notification service publishes NotificationCreated, then only its customer (and staff watching) receive it',
    async () => {
      const bus = await createPgLogBus({ url: p.busUrl })
      t.after(() => bus.close())
      const codec = createEventCodec()
      const note = newEnvelope('NotificationCreated', {
        notificationId: randomUUID(),
        customerId: ada.id,
        eventId: randomUUID(),
        eventType: 'SettlementCompleted',
        title: 'Order filled',
        body: 'BUY 3 AAPL at 150.00 TRY',
        createdAt: new Date().toISOString(),
      })
      await bus.publish([{ topic: 'notification.events', key: note.key, value: await codec.encode(note) }])
      const got = await adaSocket.received((m) => m.eventId === note.id)
      assert.deepEqual([got.category, got.customerId, got.data.title], ['notification', ada.id, 'Order filled'])
      await brokerSocket.received((m) => m.eventId === note.id)
      await adminSocket.received((m) => m.eventId === note.id)
      await boSocket.barrier()
      assert.equal(
        boSocket.events().some((m) => m.eventId === note.id),
        false,
      )
    },
  )

  await t.test(
    'when a customer signs out, then the socket of that session is closed with 1008 at once, another session’s stays open',
    async () => {
      const other = await openSocket(wsUrl, await p.login(bo.email, bo.password))
      t.after(() => other.close())
      assert.equal((await p.api('POST', '/api/auth/logout', { token: boToken })).status, 204)
      // Bounded: the token's own expiry would close it with 1008 too, 15 minutes later.
      await eventually(() => boSocket.socket.readyState === boSocket.socket.CLOSED, { what: 'Bo’s socket to be closed' })
      assert.equal(await boSocket.closed, 1008)
      await other.barrier()
      assert.equal(other.socket.readyState, other.socket.OPEN)
    },
  )
})
