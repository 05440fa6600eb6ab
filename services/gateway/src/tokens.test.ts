import { test } from 'node:test'
import assert from 'node:assert/strict'
import { isAppError } from '@brokerage/platform'
import { preferredWait } from './routes/orders.js'
import { principalFromClaims } from './tokens.js'

const CUSTOMER = '0b6f1c1e-8f0a-4d4b-9a53-1f1f7c1b2c3d'

test('when claims carry a role, roles or Keycloak realm roles, then the most privileged brokerage role maps', () => {
  assert.deepEqual(principalFromClaims({ sub: 'a', role: 'ADMIN' }), { subject: 'a', role: 'ADMIN' })
  assert.deepEqual(principalFromClaims({ sub: 'c', realm_access: { roles: ['uma_authorization', 'customer'] }, customer_id: CUSTOMER }), {
    subject: 'c',
    role: 'CUSTOMER',
    customerId: CUSTOMER,
  })
  assert.equal(principalFromClaims({ sub: 'x', roles: ['customer', 'Admin'] }).role, 'ADMIN')
})

test('when the claim names are configured, then roles and ids are read there, by name first and then as a path', () => {
  const names = {
    roles: ['https://brokerage.example/roles', 'resource_access.brokerage.roles'],
    customerId: 'ext.customer',
    brokerId: 'ext.broker',
  }
  assert.deepEqual(
    principalFromClaims({ sub: 'kc-1', resource_access: { brokerage: { roles: ['customer'] } }, ext: { customer: CUSTOMER } }, names),
    {
      subject: 'kc-1',
      role: 'CUSTOMER',
      customerId: CUSTOMER,
    },
  )
  // A namespaced claim whose name holds dots is one claim, not a path.
  assert.deepEqual(principalFromClaims({ sub: 'a0|7', 'https://brokerage.example/roles': ['broker'], 'ext.broker': CUSTOMER }, names), {
    subject: 'a0|7',
    role: 'BROKER',
    brokerId: CUSTOMER,
  })
  // The default names are not read when others are configured.
  assert.throws(() => principalFromClaims({ sub: 'c', role: 'CUSTOMER', customer_id: CUSTOMER }, names), /no brokerage role/)
  assert.throws(
    () => principalFromClaims({ sub: 'c', 'https://brokerage.example/roles': 'customer', customer_id: CUSTOMER }, names),
    /no ext.customer claim/,
  )
})

test('when claims lack a role, a subject, or the id their role needs, then UNAUTHENTICATED', () => {
  for (const claims of [
    { sub: 'a' },
    { role: 'ADMIN' },
    { sub: 'c', role: 'CUSTOMER' },
    { sub: 'c', role: 'CUSTOMER', customer_id: 'not-a-uuid' },
    { sub: 'b', role: 'BROKER', customer_id: CUSTOMER },
  ]) {
    assert.throws(
      () => principalFromClaims(claims),
      (err) => isAppError(err) && err.code === 'UNAUTHENTICATED',
      JSON.stringify(claims),
    )
  }
})

test('when Prefer carries wait=N, then N seconds up to 30; anything else means no wait', () => {
  assert.equal(preferredWait('wait=5'), 5)
  assert.equal(preferredWait('respond-async, wait=10'), 10)
  assert.equal(preferredWait(['handling=lenient', 'Wait="3"']), 3)
  assert.equal(preferredWait('wait=31'), 30)
  for (const h of [undefined, '', 'wait=0', 'wait=-2', 'wait=1.5', 'wait', 'respond-async']) assert.equal(preferredWait(h), 0, String(h))
})
