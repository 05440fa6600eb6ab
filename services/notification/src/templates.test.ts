import { test } from 'node:test'
import assert from 'node:assert/strict'
import { EVENT_TYPES, newEnvelope, type AnyEnvelope } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { messageOf } from './messages.js'
import { createTemplates, formatAmount, KINDS, LOCALES, type Kind } from './templates.js'

const templates = createTemplates()
const signInUrl = 'https://brokerage.example/login'

/** One message of every kind, from the contracts' sample events (a fill both partial and complete). */
function everyKind() {
  const out = new Map<Kind, NonNullable<ReturnType<typeof messageOf>>>()
  for (const type of EVENT_TYPES) {
    const m = messageOf(newEnvelope(type, SAMPLE_DATA[type] as never) as AnyEnvelope, { signInUrl })
    if (m) out.set(m.kind, m)
  }
  const fill = SAMPLE_DATA.SettlementCompleted
  for (const remainingSize of [0, 3]) {
    const m = messageOf(newEnvelope('SettlementCompleted', { ...fill, remainingSize }), { signInUrl })!
    out.set(m.kind, m)
  }
  return out
}

test('when every kind is rendered in every locale, then each names all its variables and none is left blank', () => {
  const messages = everyKind()
  assert.deepEqual([...messages.keys()].sort(), [...KINDS].sort(), 'every kind has an event that makes it')
  for (const locale of LOCALES) {
    for (const [kind, m] of messages) {
      const r = templates.render(kind, locale, m.vars, { name: 'Ayşe' })
      for (const [part, text] of Object.entries(r)) {
        assert.ok(text.trim().length > 0, `${locale}/${kind}/${part} is empty`)
        assert.doesNotMatch(text, /undefined|\[object|\{\{/, `${locale}/${kind}/${part}: ${text}`)
      }
    }
  }
})

test('when a template names a variable its event does not carry, then rendering fails instead of writing a blank', () => {
  assert.throws(() => templates.render('OrderFilled', 'en', { size: 1 }), /not defined/)
})

test('when the welcome is rendered, then it says how to sign in, in English and in Turkish', () => {
  const vars = { name: 'Ada', email: 'ada@example.com', signInUrl }
  const en = templates.render('CustomerCreated', 'en', vars)
  assert.equal(en.title, 'Welcome to Brokerage, Ada')
  assert.match(en.body, /To sign in, go to https:\/\/brokerage\.example\/login and use your email ada@example\.com/)
  const tr = templates.render('CustomerCreated', 'tr', vars, { name: 'Ada' })
  assert.equal(tr.title, "Brokerage'a hoş geldiniz, Ada")
  assert.match(tr.emailText, /^Merhaba Ada,/)
})

test('when a fill is rendered, then price, size and remaining are exact and in the locale', () => {
  const vars = { orderId: 'o1', assetName: 'AAPL', side: 'BUY', size: 4, price: 1_234_567, filledSize: 4, remainingSize: 6 }
  assert.equal(
    templates.render('OrderPartiallyFilled', 'en', vars).body,
    '4 AAPL filled at 12,345.67 TRY each. Filled so far: 4; remaining: 6.',
  )
  assert.match(templates.render('OrderPartiallyFilled', 'tr', vars).body, /12\.345,67 TRY fiyattan.*kalan: 6/)
})

test('when amounts are formatted, then minor units stay exact up to 2^53−1', () => {
  assert.equal(formatAmount(Number.MAX_SAFE_INTEGER, 'TRY', 'en'), '90,071,992,547,409.91 TRY')
  assert.equal(formatAmount(5, 'TRY', 'tr'), '0,05 TRY')
  assert.equal(formatAmount(1500, 'AAPL', 'en'), '1,500 AAPL')
})
