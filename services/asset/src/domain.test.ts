import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerOrderCreated, cancelRelease, orderNeed, withdrawalRefusal } from './domain.js'

test('when a BUY is priced, then it needs size×price TRY; a SELL needs size units of the asset', () => {
  assert.deepEqual(orderNeed({ side: 'BUY', assetName: 'AAPL', size: 10, price: 15_000 }), {
    valid: true,
    assetName: 'TRY',
    amount: 150_000,
  })
  assert.deepEqual(orderNeed({ side: 'SELL', assetName: 'AAPL', size: 10, price: 15_000 }), { valid: true, assetName: 'AAPL', amount: 10 })
})

test('when size×price is at or beyond 2^53, then the order is invalid; just below, it is exact', () => {
  assert.deepEqual(orderNeed({ side: 'BUY', assetName: 'X', size: 1, price: Number.MAX_SAFE_INTEGER }), {
    valid: true,
    assetName: 'TRY',
    amount: Number.MAX_SAFE_INTEGER,
  })
  // 3 × 3002399751580331 = 9007199254740993 = 2^53 + 1, which a float product would round to 2^53.
  const beyond = orderNeed({ side: 'BUY', assetName: 'X', size: 3, price: 3_002_399_751_580_331 })
  assert.equal(beyond.valid, false)
  assert.equal(beyond.amount, 0)
  assert.equal(orderNeed({ side: 'BUY', assetName: 'X', size: 2 ** 27, price: 2 ** 26 - 1 }).valid, true)
  assert.equal(orderNeed({ side: 'BUY', assetName: 'X', size: 2 ** 27, price: 2 ** 26 }).valid, false, '2^53 itself is not safe')
})

test('when size or price is not a positive whole number, or the asset is cash, then the order is invalid', () => {
  for (const terms of [
    { size: 0, price: 1 },
    { size: -1, price: 1 },
    { size: 1.5, price: 1 },
    { size: 1, price: 0 },
    { size: 1, price: Number.NaN },
  ]) {
    assert.equal(orderNeed({ side: 'BUY', assetName: 'AAPL', ...terms }).valid, false, JSON.stringify(terms))
  }
  assert.equal(orderNeed({ side: 'SELL', assetName: 'TRY', size: 1, price: 1 }).valid, false)
  assert.equal(orderNeed({ side: 'SELL', assetName: ' ', size: 1, price: 1 }).valid, false)
})

test('when a cancel is released, then it is cancelledSize×price (or units) but never more than is held', () => {
  assert.equal(cancelRelease({ side: 'BUY', price: 15_000, held: 150_000, cancelledSize: 6 }), 90_000)
  assert.equal(cancelRelease({ side: 'BUY', price: 15_000, held: 60_000, cancelledSize: 6 }), 60_000)
  assert.equal(cancelRelease({ side: 'SELL', price: 15_000, held: 10, cancelledSize: 4 }), 4)
  assert.equal(cancelRelease({ side: 'SELL', price: 15_000, held: 3, cancelledSize: 4 }), 3)
  assert.equal(
    cancelRelease({ side: 'BUY', price: 2 ** 40, held: 5, cancelledSize: 2 ** 40 }),
    5,
    'an unsafe product is capped, not rounded',
  )
  assert.equal(cancelRelease({ side: 'BUY', price: 15_000, held: 150_000, cancelledSize: 0 }), 0)
  assert.equal(cancelRelease({ side: 'BUY', price: 15_000, held: 150_000, cancelledSize: -3 }), 0)
})

test('when a withdrawal is checked before touching a balance, then amount and IBAN rules decide', () => {
  assert.equal(withdrawalRefusal({ assetName: 'TRY', amount: 1, iban: 'TR330006100519786457841326' }), null)
  assert.equal(withdrawalRefusal({ assetName: 'TRY', amount: 1, iban: null }), 'IBAN_REQUIRED')
  assert.equal(withdrawalRefusal({ assetName: 'TRY', amount: 1, iban: '' }), 'IBAN_REQUIRED')
  assert.equal(withdrawalRefusal({ assetName: 'AAPL', amount: 1, iban: null }), null)
  assert.equal(withdrawalRefusal({ assetName: 'TRY', amount: 0, iban: null }), 'INVALID_AMOUNT')
  assert.equal(withdrawalRefusal({ assetName: 'AAPL', amount: -2, iban: null }), 'INVALID_AMOUNT')
})

test('when OrderCreated is answered, then usable must cover the need, a closed or invalid order fails, and a second answer is refused', () => {
  const need = orderNeed({ side: 'BUY', assetName: 'AAPL', size: 10, price: 15_000 })
  assert.deepEqual(answerOrderCreated(need, null, 150_000), { answer: 'RESERVED', amount: 150_000 })
  assert.deepEqual(answerOrderCreated(need, null, 149_999), {
    answer: 'FAILED',
    reason: 'INSUFFICIENT_BALANCE',
    available: 149_999,
    closedFirst: false,
  })
  assert.deepEqual(answerOrderCreated(need, 'AWAITING_ORDER', 1_000_000), {
    answer: 'FAILED',
    reason: 'INVALID_ORDER',
    available: 1_000_000,
    closedFirst: true,
  })
  const invalid = orderNeed({ side: 'BUY', assetName: 'AAPL', size: 0, price: 15_000 })
  assert.deepEqual(answerOrderCreated(invalid, null, 1_000_000), {
    answer: 'FAILED',
    reason: 'INVALID_ORDER',
    available: 1_000_000,
    closedFirst: false,
  })
  assert.deepEqual(answerOrderCreated(need, 'RESERVED', 1_000_000), { answer: 'ALREADY_ANSWERED' })
  assert.deepEqual(answerOrderCreated(need, 'FAILED', 1_000_000), { answer: 'ALREADY_ANSWERED' })
})
