import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { newEnvelope, type AnyEnvelope } from '@brokerage/contracts'
import { createConfluentRegistry, createDb, createEventCodec } from '@brokerage/platform'
import { createTestDatabase, eventually, startSchemaRegistryStandIn, teardown } from '@brokerage/platform/testing'
import { allServices, createWorld, ids, PASSWORD, startGateway, startStubServices, type TestGateway } from '../../test/support.js'
import { liveFeedGroups, openSocket, refusal, type LiveClient } from './testing.js'

// The live feed's rules on a real gateway (stand-in services, in-memory bus) with a real
// WebSocket client: who may connect, who may watch whom, and what each socket is sent.

const codec = createEventCodec()
const now = () => new Date().toISOString()

async function publish(gw: TestGateway, ...events: AnyEnvelope[]) {
  await gw.gw.runtime.bus.publish(
    await Promise.all(events.map(async (e) => ({ topic: codec.topicOf(e.type), key: e.key, value: await codec.encode(e) }))),
  )
}

const released = (customerId: string) =>
  newEnvelope('AssetReleased', {
    orderId: randomUUID(),
    customerId,
    assetName: 'TRY',
    amount: 1500,
    reason: 'ORDER_CANCELLED',
    releasedAt: now(),
  })

test('the live feed on a gateway', async (t) => {
  const gw = await startGateway(t)
  const tokens = await gw.tokens()
  const url = `ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/v1/ws`
  const alias = `ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/ws`

  await t.test('when no token, a malformed one or a forged one is sent, then the upgrade answers 401 and no socket opens', async () => {
    for (const [what, target, headers] of [
      ['no token', url, {}],
      ['not a bearer header', url, { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['a forged token', url, { authorization: `Bearer ${tokens.c1.slice(0, -4)}AAAA` }],
      ['a forged query token', `${url}?access_token=${tokens.c1.slice(0, -4)}AAAA`, {}],
    ] as const) {
      const res = await refusal(target, headers)
      assert.equal(res.status, 401, what)
      assert.equal(JSON.parse(res.body).error.code, 'UNAUTHENTICATED', what)
    }
    assert.equal(gw.gw.live.hub.connections.size, 0)
  })

  await t.test('when a signed-in caller sends a plain GET (no upgrade), then it answers 400 in the API error shape', async () => {
    const res = await fetch(`http://127.0.0.1:${gw.gw.runtime.ports.http}/api/ws`, { headers: { authorization: `Bearer ${tokens.c1}` } })
    const body = (await res.json()) as { error: { code: string; message: string }; requestId: unknown }
    assert.equal(res.status, 400)
    assert.equal(body.error.code, 'VALIDATION_FAILED')
    assert.match(body.error.message, /WebSocket/)
    assert.equal(typeof body.requestId, 'string')
    assert.equal(gw.gw.live.hub.connections.size, 0)
  })

  await t.test('when the token comes as access_token (browsers), then the socket opens subscribed to the customer', async (t) => {
    const s = await openSocket(`${url}?access_token=${tokens.c1}`)
    t.after(() => s.close())
    assert.deepEqual(s.ready, { type: 'ready', role: 'CUSTOMER', customerId: ids.c1, subscriptions: [ids.c1] })
  })

  await t.test(
    'when a socket opens at the /api/ws alias, then it is the same feed, refused without a token as the versioned path is',
    async (t) => {
      assert.equal((await refusal(alias)).status, 401)
      const s = await openSocket(alias, tokens.c1)
      t.after(() => s.close())
      assert.deepEqual(s.ready, { type: 'ready', role: 'CUSTOMER', customerId: ids.c1, subscriptions: [ids.c1] })
      const mine = released(ids.c1)
      await publish(gw, mine)
      assert.equal((await s.received((m) => m.eventId === mine.id)).customerId, ids.c1)
    },
  )

  await t.test(
    'when a customer subscribes to another customer or to everyone, then an error answers and nothing of theirs arrives',
    async (t) => {
      const s = await openSocket(url, tokens.c1)
      t.after(() => s.close())
      const other = await s.request({ type: 'subscribe', customerId: ids.c2 })
      assert.deepEqual([other.type, other.code], ['error', 'NOT_FOUND'])
      const all = await s.request({ type: 'subscribe', customerId: '*' })
      assert.deepEqual([all.type, all.code], ['error', 'FORBIDDEN'])
      const bad = await s.request({ type: 'subscribe', customerId: 'nope' })
      assert.deepEqual([bad.type, bad.code], ['error', 'BAD_MESSAGE'])
      const self = await s.request({ type: 'subscribe', customerId: ids.c1 })
      assert.deepEqual(self, { type: 'subscribed', customerId: ids.c1 })

      const watcher = await openSocket(url, tokens.admin)
      t.after(() => watcher.close())
      await watcher.request({ type: 'subscribe', customerId: '*' })
      const theirs = released(ids.c2)
      const mine = released(ids.c1)
      await publish(gw, theirs, mine)
      await watcher.received((m) => m.eventId === theirs.id)
      const got = await s.received((m) => m.eventId === mine.id)
      assert.deepEqual(
        { ...got, occurredAt: undefined },
        {
          type: 'event',
          category: 'balance',
          customerId: ids.c1,
          event: 'AssetReleased',
          eventId: mine.id,
          occurredAt: undefined,
          data: mine.data,
        },
      )
      await s.barrier()
      assert.deepEqual(
        s.events().filter((m) => m.customerId !== ids.c1),
        [],
        'another customer’s event reached the socket',
      )
    },
  )

  await t.test('when a broker subscribes, then only their assigned customers are accepted, and `*` means those', async (t) => {
    const s = await openSocket(url, tokens.b1)
    t.after(() => s.close())
    assert.deepEqual(s.ready.subscriptions, [])
    assert.equal((await s.request({ type: 'subscribe', customerId: ids.c2 })).code, 'NOT_FOUND')
    assert.equal((await s.request({ type: 'subscribe', customerId: ids.c1 })).type, 'subscribed')
    const all = await openSocket(url, tokens.b1)
    t.after(() => all.close())
    assert.equal((await all.request({ type: 'subscribe', customerId: '*' })).type, 'subscribed')

    const admin = await openSocket(url, tokens.admin)
    t.after(() => admin.close())
    await admin.request({ type: 'subscribe', customerId: '*' })
    const events = [released(ids.c1), released(ids.c2), released(ids.c3)]
    await publish(gw, ...events)
    await admin.received((m) => m.eventId === events[1]!.id)
    await admin.received((m) => m.eventId === events[2]!.id)
    await s.received((m) => m.eventId === events[0]!.id)
    await all.received((m) => m.eventId === events[0]!.id)
    for (const sock of [s, all]) {
      await sock.barrier()
      assert.deepEqual(
        sock.events().map((m) => m.customerId),
        [ids.c1],
      )
    }

    // A reassignment moves the live scope as it moves the REST one.
    const moved = newEnvelope('BrokerAssigned', {
      customerId: ids.c1,
      brokerId: ids.broker2,
      previousBrokerId: ids.broker1,
      assignedAt: now(),
    })
    await publish(gw, moved)
    assert.deepEqual(await s.received((m) => m.type === 'unsubscribed'), {
      type: 'unsubscribed',
      customerId: ids.c1,
      reason: 'BROKER_REASSIGNED',
    })
    const back = newEnvelope('BrokerAssigned', { customerId: ids.c3, brokerId: ids.broker1, previousBrokerId: null, assignedAt: now() })
    await publish(gw, back)
    await all.received((m) => m.type === 'subscribed' && m.customerId === ids.c3)
  })

  await t.test('when two customers cross, then each is sent its own side of the trade and never the counterparty', async (t) => {
    const [a, b] = [await openSocket(url, tokens.c1), await openSocket(url, tokens.c2)]
    t.after(() => a.close())
    t.after(() => b.close())
    const [buyOrder, sellOrder] = [randomUUID(), randomUUID()]
    const trade = newEnvelope('OrderMatched', {
      tradeId: randomUUID(),
      assetName: 'AAPL',
      price: 14_000,
      size: 5,
      buy: { orderId: buyOrder, customerId: ids.c1, limitPrice: 15_000 },
      sell: { orderId: sellOrder, customerId: ids.c2, limitPrice: 14_000 },
      trigger: 'CROSSING',
      matchedAt: now(),
    })
    await publish(gw, trade)
    const mine = await a.received((m) => m.eventId === trade.id)
    const theirs = await b.received((m) => m.eventId === trade.id)
    assert.deepEqual(mine.data, {
      tradeId: trade.data.tradeId,
      assetName: 'AAPL',
      price: 14_000,
      size: 5,
      trigger: 'CROSSING',
      matchedAt: trade.data.matchedAt,
      side: 'BUY',
      orderId: buyOrder,
      limitPrice: 15_000,
    })
    assert.equal(theirs.data.side, 'SELL')
    assert.ok(!JSON.stringify(mine).includes(ids.c2) && !JSON.stringify(mine).includes(sellOrder))
    assert.ok(!JSON.stringify(theirs).includes(ids.c1) && !JSON.stringify(theirs).includes(buyOrder))
  })

  await t.test('when a NotificationCreated event is published, then it reaches its customer only', async (t) => {
    const [a, b] = [await openSocket(url, tokens.c1), await openSocket(url, tokens.c2)]
    t.after(() => a.close())
    t.after(() => b.close())
    const note = newEnvelope('NotificationCreated', {
      notificationId: randomUUID(),
      customerId: ids.c2,
      eventId: randomUUID(),
      eventType: 'OrderMatched',
      title: 'Order filled',
      body: 'BUY 5 AAPL at 140.00 TRY',
      createdAt: now(),
    })
    await publish(gw, note)
    const got = await b.received((m) => m.eventId === note.id)
    assert.deepEqual([got.category, got.event, got.data.title], ['notification', 'NotificationCreated', 'Order filled'])
    await a.barrier()
    assert.deepEqual(a.events(), [])
  })

  await t.test('when the metrics are scraped, then open sockets and messages sent are counted', async (t) => {
    const s = await openSocket(url, tokens.c1)
    t.after(() => s.close())
    // Metrics answer on the operations port only.
    const text = await (await fetch(`http://127.0.0.1:${gw.gw.runtime.ports.ops}/metrics`)).text()
    assert.match(text, /live_sockets_open\{[^}]*\} [1-9]/)
    assert.match(text, /live_messages_sent_total\{[^}]*\} [1-9]/)
    assert.match(text, /live_slow_consumers_closed_total\{[^}]*\} 0/)
  })

  await t.test('when the OpenAPI document is read, then it says how to connect, at the versioned path only', async () => {
    const docs = JSON.parse((await gw.request('GET', '/docs/json')).body)
    assert.match(docs.paths['/api/v1/ws'].get.description, /access_token/)
    assert.equal(docs.paths['/api/ws'], undefined, 'the alias is not listed, as the REST API’s is not')
  })

  await t.test('when the gateway stops, then its sockets are closed with 1001', async () => {
    const s = await openSocket(url, tokens.c1)
    await gw.gw.stop()
    assert.equal(await s.closed, 1001)
    assert.equal(s.socket.readyState, WebSocket.CLOSED)
  })
})

test('when a socket’s token expires, then the socket is closed with 1008', async (t) => {
  const gw = await startGateway(t, { gateway: { tokenTtlSeconds: 1 } })
  const s = await openSocket(`ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/ws`, await gw.login('ada@example.com'))
  assert.equal(await s.closed, 1008)
})

test('when the services publish with a Schema Registry’s ids (SCHEMA_REGISTRY_URL), then the live feed reads them with the same registry', async (t) => {
  const registry = await startSchemaRegistryStandIn(t)
  const gw = await startGateway(t, { schemaRegistryUrl: registry.url })
  const s = await openSocket(`ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/ws`, await gw.login('ada@example.com'))
  t.after(() => s.close())
  // As a service configured with the same registry writes it: the frame names the registry's id, which the built-in ids do not know.
  const services = createEventCodec(createConfluentRegistry({ url: registry.url }))
  const event = released(ids.c1)
  await gw.gw.runtime.bus.publish([{ topic: services.topicOf(event.type), key: event.key, value: await services.encode(event) }])
  assert.equal((await s.received((m) => m.eventId === event.id)).customerId, ids.c1)
})

test('when a session ends on any instance, then its sockets on every instance are closed with 1008 and other sessions’ stay open', async (t) => {
  const world = createWorld()
  const services = allServices(await startStubServices(t, world))
  // Two instances behind one load balancer: one issuer, one database.
  const gateway = { publicUrl: 'http://gateway.test' }
  const a = await startGateway(t, { world, services, gateway })
  const b = await startGateway(t, { world, services, gateway, databaseUrl: a.databaseUrl })
  const wsUrl = (gw: TestGateway) => `ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/ws`
  const signIn = async () => {
    const res = await a.request('POST', '/api/auth/login', { body: { username: 'ada@example.com', password: PASSWORD } })
    return res.json() as { access_token: string; refresh_token: string }
  }
  // Bounded: a socket left open would otherwise wait out its token's 15 minutes.
  const closeCode = (s: LiveClient) =>
    eventually(async () => s.socket.readyState === WebSocket.CLOSED && (await s.closed), { what: 'the socket to be closed' })
  const open = async (gw: TestGateway, token: string) => {
    const s = await openSocket(wsUrl(gw), token)
    teardown(t).after(() => s.close())
    return s
  }

  // Signed out on a: its socket on a (the instance that ended it) and on b (told by NOTIFY) close.
  const out = await signIn()
  const [outOnA, outOnB] = [await open(a, out.access_token), await open(b, out.access_token)]
  const kept = await signIn()
  const keptOnB = await open(b, kept.access_token)
  assert.equal((await a.request('POST', '/api/auth/logout', { token: out.access_token })).statusCode, 204)
  assert.deepEqual([await closeCode(outOnA), await closeCode(outOnB)], [1008, 1008])
  await keptOnB.barrier()
  assert.equal(keptOnB.socket.readyState, WebSocket.OPEN, 'another session of the same account stays open')

  // Revoked by a refresh token used twice (on b): the session's socket on a closes too.
  const reused = await signIn()
  const reusedOnA = await open(a, reused.access_token)
  assert.equal((await b.request('POST', '/api/auth/refresh', { body: { refresh_token: reused.refresh_token } })).statusCode, 200)
  assert.equal((await b.request('POST', '/api/auth/refresh', { body: { refresh_token: reused.refresh_token } })).statusCode, 401)
  assert.equal(await closeCode(reusedOnA), 1008)

  // A suspension ends every session of the account (as a password change does): the kept one's socket closes now.
  const admin = (await a.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'admin' } })).json().access_token
  const suspended = await b.request('PUT', `/api/customers/${ids.c1}/status`, { token: admin, body: { status: 'SUSPENDED' } })
  assert.equal(suspended.statusCode, 200, suspended.body)
  assert.equal(await closeCode(keptOnB), 1008)
  assert.equal(a.gw.live.hub.connections.size + b.gw.live.hub.connections.size, 0)
})

// The live feed's consumer on a real bus (pglog): the groups the gateway has there, as the bus's own tables list them.
async function liveFeedOnBus(t: TestContext, feedLingerMs: number) {
  const busUrl = await createTestDatabase(teardown(t), 'bus')
  const gw = await startGateway(t, { bus: { kind: 'pglog', url: busUrl }, gateway: { live: { feedLingerMs } } })
  const db = createDb({ url: busUrl, max: 1 })
  teardown(t).after(() => db.close())
  const groups = () => liveFeedGroups((sql) => db.query<{ group_id: string }>(sql))
  return { gw, groups, url: `ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/v1/ws`, tokens: await gw.tokens() }
}

test('when no socket is open, then the gateway has no live feed consumer on the bus; the first socket starts one, which a socket opening within the linger keeps', async (t) => {
  const { gw, groups, url, tokens } = await liveFeedOnBus(t, 60_000)
  assert.deepEqual(await groups(), [], 'a gateway no one watches reads nothing')
  const metrics = async () => (await fetch(`http://127.0.0.1:${gw.gw.runtime.ports.ops}/metrics`)).text()
  assert.doesNotMatch(await metrics(), /consumer_lag\{[^}]*group="gateway-live-/)

  const first = await openSocket(url, tokens.c1)
  const started = await groups()
  assert.equal(started.length, 1)
  const right = released(ids.c1)
  await publish(gw, right)
  assert.equal((await first.received((m) => m.eventId === right.id)).customerId, ids.c1)
  assert.match(await metrics(), new RegExp(`consumer_lag\\{[^}]*group="${started[0]}"`))

  first.close()
  await first.closed
  await eventually(() => gw.gw.live.hub.connections.size === 0, { what: 'the socket to be gone' })
  const second = await openSocket(url, tokens.c2)
  t.after(() => second.close())
  assert.deepEqual(await groups(), started, 'the lingering consumer is kept, not restarted')
  const next = released(ids.c2)
  await publish(gw, next)
  await second.received((m) => m.eventId === next.id)
})

test('when the last socket has closed and the linger passed, then the consumer group is gone, and the next socket starts a new one that reads', async (t) => {
  const { gw, groups, url, tokens } = await liveFeedOnBus(t, 50)
  const [a, b] = await Promise.all([openSocket(url, tokens.c1), openSocket(url, tokens.admin)])
  const [started] = await groups()
  assert.ok(started, 'a socket is open: a consumer reads')
  assert.equal((await groups()).length, 1, 'sockets opening together share one consumer')
  a.close()
  await eventually(() => gw.gw.live.hub.connections.size === 1, { what: 'the first socket to be gone' })
  assert.deepEqual(await groups(), [started], 'one socket is still open')
  b.close()
  await eventually(async () => (await groups()).length === 0, { what: 'the live feed’s group to be deleted' })

  const again = await openSocket(url, tokens.c1)
  t.after(() => again.close())
  const restarted = await groups()
  assert.equal(restarted.length, 1)
  assert.notEqual(restarted[0], started)
  const e = released(ids.c1)
  await publish(gw, e)
  await again.received((m) => m.eventId === e.id)
})

test('when the live feed cannot start reading the bus, then the upgrade answers 503 in the API error shape, and a later socket opens', async (t) => {
  const gw = await startGateway(t)
  const tokens = await gw.tokens()
  const url = `ws://127.0.0.1:${gw.gw.runtime.ports.http}/api/v1/ws`
  // The bus refusing the group (a broker away, say) for a moment.
  const bus = gw.gw.runtime.bus
  const consume = bus.consume.bind(bus)
  bus.consume = () => Promise.reject(new Error('the broker is away'))
  const res = await refusal(url, { authorization: `Bearer ${tokens.c1}` })
  assert.equal(res.status, 503)
  assert.equal(JSON.parse(res.body).error.code, 'UNAVAILABLE')
  assert.equal(gw.gw.live.hub.connections.size, 0)

  bus.consume = consume
  const s = await openSocket(url, tokens.c1)
  t.after(() => s.close())
  const e = released(ids.c1)
  await publish(gw, e)
  await s.received((m) => m.eventId === e.id)
})
