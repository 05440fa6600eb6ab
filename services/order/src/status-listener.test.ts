import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeChanges, encodeChanges, waitWhilePending, type StatusChange, type Subscription, type Wake } from './status-listener.js'
import type { OrderRow } from './store.js'

const pending: OrderRow = {
  id: '7d3c9f0e-8a51-4c47-9a57-3f8d2b1e6a10',
  customerId: '0b6f3a52-1c1e-4a7e-b1e2-9d8c7f6e5a40',
  assetName: 'THYAO',
  side: 'BUY',
  size: 1,
  price: 100,
  filledSize: 0,
  tier: 'STANDARD',
  status: 'PENDING',
  rejectionReason: null,
  cancelRequestedAt: null,
  cancelReason: null,
  correlationId: null,
  createdAt: new Date('2026-12-01T10:00:00.000Z'),
  updatedAt: new Date('2026-12-01T10:00:00.000Z'),
}

/** A listener whose wake-ups the test scripts, and a read that counts its calls. */
function scripted(wakes: Wake[], stored: OrderRow) {
  let reads = 0
  const listener = {
    subscribe: (): Subscription => ({ next: async () => wakes.shift() ?? { kind: 'timeout' }, close() {} }),
  }
  const read = async () => {
    reads++
    return stored
  }
  return { listener, read, reads: () => reads }
}

test('when a wake-up carries the new status, then the waiting call answers with it without reading the order', async () => {
  const updatedAt = new Date('2026-12-01T10:00:00.040Z')
  const s = scripted(
    [{ kind: 'changed', change: { orderId: pending.id, status: 'REJECTED', rejectionReason: 'INSUFFICIENT_BALANCE', updatedAt } }],
    pending,
  )

  const answer = await waitWhilePending(s.listener, pending.id, 1_000, s.read, pending)

  assert.deepEqual(answer, { ...pending, status: 'REJECTED', rejectionReason: 'INSUFFICIENT_BALANCE', updatedAt })
  assert.equal(s.reads(), 0)
})

test('when nothing wakes the waiting call, then it reads the order once, at the deadline', async () => {
  const confirmed = { ...pending, status: 'CONFIRMED' as const }
  const s = scripted([], confirmed)

  const answer = await waitWhilePending(s.listener, pending.id, 1_000, s.read, pending)

  assert.equal(answer.status, 'CONFIRMED', 'a wake-up lost on the way is caught by the last read')
  assert.equal(s.reads(), 1)
})

test('when wake-ups may have been lost (a reconnect), then the waiting call reads the order and goes on waiting if it is still PENDING', async () => {
  const s = scripted([{ kind: 'unknown' }, { kind: 'closed' }], pending)

  const answer = await waitWhilePending(s.listener, pending.id, 1_000, s.read, pending)

  assert.equal(answer.status, 'PENDING')
  assert.equal(s.reads(), 1, 'read on the reconnect; the listener closing answers with what it has')
})

test('when many orders change at once, then the wake-ups fit NOTIFY payloads under 8000 bytes and decode to the same changes', () => {
  const changes: StatusChange[] = Array.from({ length: 500 }, (_, i) => ({
    orderId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    status: i % 2 ? 'CONFIRMED' : 'REJECTED',
    rejectionReason: i % 2 ? null : 'INSUFFICIENT_BALANCE',
    updatedAt: new Date(1_764_583_200_000 + i),
  }))

  const payloads = encodeChanges('instance-1', changes)

  assert.ok(payloads.length > 1 && payloads.length <= 8, `${payloads.length} payloads`)
  for (const p of payloads) assert.ok(Buffer.byteLength(p) < 8000)
  const decoded = payloads.map((p) => decodeChanges(p)!)
  assert.deepEqual(
    decoded.map((d) => d.instance),
    payloads.map(() => 'instance-1'),
  )
  assert.deepEqual(
    decoded.flatMap((d) => d.changes),
    changes,
  )
  assert.equal(decodeChanges('7d3c9f0e-8a51-4c47-9a57-3f8d2b1e6a10'), null, 'a payload without its sender is not trusted')
})
