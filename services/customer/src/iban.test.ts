import assert from 'node:assert/strict'
import { test } from 'node:test'
import { normalizeIban } from './iban.js'

test('when IBANs of several countries are valid, then they are accepted, without spaces and upper-case', () => {
  const valid = [
    ['TR33 0006 1005 1978 6457 8413 26', 'TR330006100519786457841326'],
    ['de89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['GB82WEST12345698765432', 'GB82WEST12345698765432'],
    ['NL91ABNA0417164300', 'NL91ABNA0417164300'],
    ['FR1420041010050500013M02606', 'FR1420041010050500013M02606'],
    ['BE68539007547034', 'BE68539007547034'],
    ['NO9386011117947', 'NO9386011117947'],
    ['MT84MALT011000012345MTLCAST001S', 'MT84MALT011000012345MTLCAST001S'],
  ]
  for (const [input, stored] of valid) assert.deepEqual(normalizeIban(input!), { ok: true, iban: stored }, input)
})

test('when an IBAN is malformed, then it is refused with a reason', () => {
  const invalid = [
    '',
    '   ',
    'TR330006100519786457841327', // check digits off by one
    'TR430006100519786457841326', // wrong check digits
    'TR33000610051978645784132', // one short for TR
    'TR3300061005197864578413260', // one long for TR
    'XX330006100519786457841326', // no such country
    'TRAB0006100519786457841326', // letters for check digits
    '1233000610051978645784132',
    'TR33-0006-1005-1978-6457-8413-26',
    'TR33\t0006100519786457841326',
    'ÄR330006100519786457841326',
    'GB82 WEST 1234 5698 7654 33',
  ]
  for (const input of invalid) {
    const result = normalizeIban(input)
    assert.equal(result.ok, false, input)
    if (!result.ok) assert.ok(result.reason.length > 0)
  }
})
