import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatAmount, formatMoney, parseMoney, parseUnits, reservation } from './money.ts'

test('when kuruş are formatted, then Turkish reads 1.234,56 ₺ and English ₺1,234.56', () => {
  assert.equal(formatMoney(123456, 'tr'), '1.234,56 ₺')
  assert.equal(formatMoney(123456, 'en'), '₺1,234.56')
  assert.equal(formatMoney(5, 'en'), '₺0.05')
  assert.equal(formatMoney(-100000000n, 'tr'), '−1.000.000,00 ₺')
  assert.equal(formatMoney(Number.MAX_SAFE_INTEGER, 'en'), '₺90,071,992,547,409.91')
  assert.equal(formatAmount('AAPL', 1234, 'tr'), '1.234 AAPL')
})

test('when lira are typed, then they become exact kuruş in either locale', () => {
  assert.deepEqual(parseMoney('1.234,56', 'tr'), { ok: true, value: 123456n })
  assert.deepEqual(parseMoney('1,234.56', 'en'), { ok: true, value: 123456n })
  assert.deepEqual(parseMoney('150', 'en'), { ok: true, value: 15000n })
  assert.deepEqual(parseMoney('0.1', 'en'), { ok: true, value: 10n })
  // 0.1 + 0.2 is where floats go wrong; here it is 10 + 20 kuruş.
  const a = parseMoney('0.1', 'en')
  const b = parseMoney('0.2', 'en')
  assert.ok(a.ok && b.ok && a.value + b.value === 30n)
})

test('when an amount the API would refuse is typed, then it is refused with a reason', () => {
  for (const bad of ['', '0', '0,00', '-5', '1.2.3', '1,234', 'abc', '90071992547409,92']) {
    assert.equal(parseMoney(bad, 'tr').ok, false, bad)
  }
  assert.equal(parseMoney('1.234', 'en').ok, false) // three decimals
  for (const bad of ['', '0', '1.5', '-1', '9007199254740992']) assert.equal(parseUnits(bad, 'en').ok, false, bad)
  // The API's limit is 2^53 − 2 (what an event's Avro long holds), one short of MAX_SAFE_INTEGER.
  assert.equal(parseUnits('9007199254740991', 'en').ok, false)
  assert.deepEqual(parseUnits('9007199254740990', 'en'), { ok: true, value: 9007199254740990n })
  assert.equal(parseMoney('90071992547409,91', 'tr').ok, false)
})

test('when a BUY is sized, then its reservation is size × price in kuruş, exactly, past 2^53', () => {
  assert.deepEqual(reservation('BUY', 10n, 15000n), { assetName: 'TRY', amount: 150000n })
  assert.equal(reservation('BUY', 9007199254740991n, 3n).amount, 27021597764222973n)
  assert.deepEqual(reservation('SELL', 7n, 15000n), { assetName: null, amount: 7n })
})
