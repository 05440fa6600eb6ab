import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AppError } from '@brokerage/platform'
import { createChecker } from './validation.js'

function fieldsOf(fn: () => void): string[] {
  try {
    fn()
  } catch (err) {
    assert.ok(err instanceof AppError)
    assert.equal(err.code, 'VALIDATION_FAILED')
    return (err.details as Array<{ field: string }>).map((d) => d.field)
  }
  return []
}

test('when amounts are not positive safe integers an event can carry, then each is refused (including what gRPC cannot carry)', () => {
  // 2^53 − 1 is safe but no event can carry it: an Avro long (avsc) stops one short.
  const bad = [
    0,
    -1,
    1.5,
    0.1,
    -0.5,
    NaN,
    Infinity,
    -Infinity,
    Number.MAX_SAFE_INTEGER,
    2 ** 53,
    2 ** 53 + 2,
    1e30,
    '100',
    null,
    undefined,
    true,
    {},
    10n,
  ]
  for (const value of bad) {
    const c = createChecker()
    c.amount('amount', value)
    assert.deepEqual(
      fieldsOf(() => c.done()),
      ['amount'],
      String(value),
    )
  }
  for (const value of [1, 42, Number.MAX_SAFE_INTEGER - 1]) {
    const c = createChecker()
    assert.equal(c.amount('amount', value), value)
    c.done()
  }
})

test('when strings have the wrong type or length, then the field is named; names are trimmed and counted in characters', () => {
  const c = createChecker()
  assert.equal(c.name('name', '  Şule  '), 'Şule')
  assert.equal(c.name('ok200', '😀'.repeat(200)), '😀'.repeat(200))
  c.name('n1', 42)
  c.name('n2', '😀'.repeat(201))
  c.email('e1', ['a@b.co'])
  c.password('p1', 12345678)
  c.password('p2', '1234567')
  c.uuid('u1', 123)
  c.optionalUuid('u2', {})
  c.token('k1', 'x'.repeat(256), { max: 255 })
  c.assetName('a1', 7)
  c.iban('i1', 7)
  c.page('pg', 'first')
  assert.deepEqual(
    fieldsOf(() => c.done()),
    ['n1', 'n2', 'e1', 'p1', 'p2', 'u1', 'u2', 'k1', 'a1', 'i1', 'pg'],
  )
})

test('when enums and pages come as proto-loader gives them, then unset means default and unknown numbers are refused', () => {
  const c = createChecker()
  const tiers = ['STANDARD', 'PREMIUM', 'VIP'] as const
  assert.equal(c.enumValue('t1', 'TIER_UNSPECIFIED', tiers, 'TIER_UNSPECIFIED', { default: 'STANDARD' }), 'STANDARD')
  assert.equal(c.enumValue('t2', 'VIP', tiers, 'TIER_UNSPECIFIED', { required: true }), 'VIP')
  assert.equal(c.enumValue('t3', 'TIER_UNSPECIFIED', tiers, 'TIER_UNSPECIFIED'), null)
  assert.deepEqual(c.page('p1', null), { page: 0, size: 20 })
  assert.deepEqual(c.page('p2', { page: 3, size: 0 }), { page: 3, size: 20 })
  assert.deepEqual(c.page('p3', { page: 1, size: 100 }), { page: 1, size: 100 })
  c.done()
  c.enumValue('t4', 7, tiers, 'TIER_UNSPECIFIED')
  c.enumValue('t5', 'TIER_UNSPECIFIED', tiers, 'TIER_UNSPECIFIED', { required: true })
  c.enumValue('t6', 'GOLD', tiers, 'TIER_UNSPECIFIED')
  c.page('p4', { page: 0.5, size: 101 })
  assert.deepEqual(
    fieldsOf(() => c.done()),
    ['t4', 't5', 't6', 'p4.page', 'p4.size'],
  )
})

test('when emails are checked, then they are trimmed and lower-cased, and malformed ones refused', () => {
  const c = createChecker()
  assert.equal(c.email('e', '  Ayse.Yilmaz+x@Example.COM '), 'ayse.yilmaz+x@example.com')
  c.done()
  for (const bad of [
    '',
    'a',
    'a@',
    '@b.co',
    'a@b',
    'a b@c.co',
    'a@b..co',
    'a@@b.co',
    `${'x'.repeat(65)}@b.co`,
    `a@${'b'.repeat(250)}.co`,
  ]) {
    const k = createChecker()
    k.email('email', bad)
    assert.deepEqual(
      fieldsOf(() => k.done()),
      ['email'],
      bad,
    )
  }
})
