import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decideCancel, decideMatch, decideRemovedFromBook, decideReservation, type OrderFacts, type OrderStatus } from './domain.js'

const order = (status: OrderStatus, o: Partial<OrderFacts> = {}): OrderFacts => ({
  status,
  size: 10,
  filledSize: 0,
  cancelInFlight: false,
  ...o,
})

test('when a PENDING order is cancelled, then it is cancelled at once for its whole size', () => {
  assert.deepEqual(decideCancel(order('PENDING')), { ok: true, kind: 'cancel-now', cancelledSize: 10 })
})

test('when a booked order is cancelled, then the engine is asked once; a second cancel in flight is refused', () => {
  assert.deepEqual(decideCancel(order('CONFIRMED')), { ok: true, kind: 'ask-engine' })
  assert.deepEqual(decideCancel(order('PARTIALLY_FILLED', { filledSize: 4 })), { ok: true, kind: 'ask-engine' })
  assert.equal(decideCancel(order('CONFIRMED', { cancelInFlight: true })).ok, false)
})

test('when a final order is cancelled or matched, then it is refused', () => {
  for (const status of ['MATCHED', 'REJECTED', 'CANCELED', 'FAILED'] as const) {
    assert.equal(decideCancel(order(status)).ok, false, status)
    assert.equal(decideMatch(order(status)).ok, false, status)
  }
  assert.equal(decideMatch(order('PENDING')).ok, false)
  assert.equal(decideMatch(order('CONFIRMED', { cancelInFlight: true })).ok, false)
  assert.deepEqual(decideMatch(order('PARTIALLY_FILLED')), { ok: true })
})

test('when a reservation answers, then only a PENDING order moves', () => {
  assert.deepEqual(decideReservation(order('PENDING'), { reserved: true }), { to: 'CONFIRMED' })
  assert.deepEqual(decideReservation(order('PENDING'), { reserved: false, reason: 'INSUFFICIENT_BALANCE' }), {
    to: 'REJECTED',
    reason: 'INSUFFICIENT_BALANCE',
  })
  for (const status of ['CANCELED', 'REJECTED', 'CONFIRMED'] as const) {
    assert.equal(decideReservation(order(status), { reserved: true }), null, status)
  }
})

test('when the engine answers a cancel, then the remainder is cancelled, or nothing when none was left', () => {
  assert.deepEqual(decideRemovedFromBook('CONFIRMED', 7), { kind: 'cancel', cancelledSize: 7 })
  assert.deepEqual(decideRemovedFromBook('PARTIALLY_FILLED', 0), { kind: 'nothing-left' })
  assert.equal(decideRemovedFromBook('CANCELED', 7), null)
  assert.equal(decideRemovedFromBook('PENDING', 7), null)
})
