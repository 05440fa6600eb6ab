import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { CLOSE, createHub, type Peer } from './hub.js'
import type { LiveEventMessage } from './messages.js'

// The hub's backpressure and heartbeat, with a stand-in socket whose send buffer the test
// fills at will (a real kernel buffer takes megabytes to fill, and when is not ours to say).

function stubPeer() {
  let onTerminate = () => {}
  const peer = {
    cut: new Promise<void>((resolve) => (onTerminate = resolve)),
    bufferedAmount: 0,
    sent: [] as string[],
    pings: 0,
    closedWith: undefined as number | undefined,
    terminated: false,
    send(data: string) {
      peer.sent.push(data)
    },
    ping() {
      peer.pings++
    },
    close(code: number) {
      peer.closedWith = code
    },
    terminate() {
      peer.terminated = true
      onTerminate()
    },
  } satisfies Peer & Record<string, unknown>
  return peer
}

function setup(maxBufferedBytes = 1000) {
  const counts = { sent: 0, slow: 0 }
  const hub = createHub({
    maxBufferedBytes,
    closeGraceMs: 0,
    counters: { sent: (n) => (counts.sent += n), slowConsumerClosed: () => counts.slow++ },
  })
  return { hub, counts }
}

const customerId = randomUUID()
const event = (): LiveEventMessage => ({
  type: 'event',
  category: 'balance',
  customerId,
  event: 'AssetReleased',
  eventId: randomUUID(),
  occurredAt: new Date().toISOString(),
  data: { amount: 1 },
})

test('when a socket’s send buffer would pass the limit, then it is closed with 1013 and sent nothing more, and others still get everything', () => {
  const { hub, counts } = setup()
  const slow = stubPeer()
  const fast = stubPeer()
  for (const peer of [slow, fast]) hub.subscribe(hub.open(peer, { subject: customerId, role: 'CUSTOMER', customerId }), customerId)

  hub.dispatch(customerId, event())
  slow.bufferedAmount = 990 // the reader stopped reading
  hub.dispatch(customerId, event())
  hub.dispatch(customerId, event())

  assert.equal(slow.sent.length, 1)
  assert.equal(slow.closedWith, CLOSE.TRY_AGAIN_LATER)
  assert.equal(fast.sent.length, 3)
  assert.deepEqual(counts, { sent: 4, slow: 1 })
})

test('when a slow socket does not finish closing within the grace period, then it is cut', async () => {
  const { hub } = setup()
  const slow = stubPeer()
  hub.subscribe(hub.open(slow, { subject: customerId, role: 'CUSTOMER', customerId }), customerId)
  slow.bufferedAmount = 5000
  hub.dispatch(customerId, event())
  assert.equal(slow.closedWith, CLOSE.TRY_AGAIN_LATER)
  assert.equal(slow.terminated, false, 'the close handshake gets its grace period')
  await slow.cut
})

test('when a socket has not answered the previous ping, then the next heartbeat cuts it; one that answered is pinged again', () => {
  const { hub } = setup()
  const [dead, live] = [stubPeer(), stubPeer()]
  hub.open(dead, { subject: 'x', role: 'ADMIN' })
  const liveConn = hub.open(live, { subject: 'y', role: 'ADMIN' })
  hub.heartbeat()
  assert.deepEqual([dead.pings, live.pings], [1, 1])
  liveConn.alive = true // its pong came
  hub.heartbeat()
  assert.deepEqual([dead.terminated, live.terminated, live.pings], [true, false, 2])
})

test('when a socket closes, then it leaves every subscription and the next event costs nothing', () => {
  const { hub, counts } = setup()
  const peer = stubPeer()
  const conn = hub.open(peer, { subject: customerId, role: 'CUSTOMER', customerId })
  hub.subscribe(conn, customerId)
  hub.closed(conn)
  hub.dispatch(customerId, event())
  assert.deepEqual([peer.sent.length, counts.sent, hub.connections.size], [0, 0, 0])
})
