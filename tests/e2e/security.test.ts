import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startPlatform, type Platform } from './harness.js'
import { createCustomer, deposit, until } from './helpers.js'

// Security for real users (issue 16), through the gateway on every service's own process:
// sessions that end, revocation on account changes, per-account sign-in throttling, and
// secrets that never reach a log.

const IBAN = 'TR330006100519786457841326'

interface Tokens {
  access_token: string
  token_type: string
  expires_in: number
  refresh_token: string
}

async function signIn(p: Platform, username: string, password: string): Promise<Tokens> {
  const res = await p.api<Tokens>('POST', '/api/auth/login', { body: { username, password } })
  assert.equal(res.status, 200, JSON.stringify(res.body))
  return res.body
}

const me = (p: Platform, token: string) => p.api('GET', '/api/auth/me', { token })
/** Within a second: the platform's promise for a revocation reaching every request. */
const refusedWithinASecond = (p: Platform, token: string) =>
  until(
    'the old token to be refused',
    async () => (await me(p, token)).status,
    (s) => s === 401,
    1000,
  )

test('security through the gateway on real processes', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')

  await t.test('when a customer signs in, refreshes and signs out, then the tokens of the session stop working at once', async () => {
    const c = await createCustomer(p, admin)
    const first = await signIn(p, c.email, c.password)
    assert.equal(first.token_type, 'Bearer')
    assert.ok(first.expires_in <= 900)
    const refreshed = await p.api<Tokens>('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body))
    const second = refreshed.body
    assert.equal((await me(p, second.access_token)).body.customerId, c.id)

    assert.equal((await p.api('POST', '/api/auth/logout', { token: second.access_token })).status, 204)
    assert.equal((await me(p, second.access_token)).status, 401)
    assert.equal((await me(p, first.access_token)).status, 401)
    assert.equal((await p.api('POST', '/api/auth/refresh', { body: { refresh_token: second.refresh_token } })).status, 401)
  })

  await t.test('when a refresh token is used twice, then the second use is 401 and the session ends', async () => {
    const c = await createCustomer(p, admin)
    const first = await signIn(p, c.email, c.password)
    const second = (await p.api<Tokens>('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })).body
    assert.equal((await p.api('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })).status, 401)
    assert.equal((await me(p, second.access_token)).status, 401)
    assert.equal((await p.api('POST', '/api/auth/refresh', { body: { refresh_token: second.refresh_token } })).status, 401)
  })

  await t.test('when an admin suspends a customer, then every session of theirs ends and they cannot sign in', async () => {
    const c = await createCustomer(p, admin)
    const phone = await signIn(p, c.email, c.password)
    const laptop = await signIn(p, c.email, c.password)
    const res = await p.api('PUT', `/api/customers/${c.id}/status`, { token: admin, body: { status: 'SUSPENDED' } })
    assert.equal(res.status, 200, JSON.stringify(res.body))
    await refusedWithinASecond(p, phone.access_token)
    await refusedWithinASecond(p, laptop.access_token)
    assert.equal((await p.api('POST', '/api/auth/refresh', { body: { refresh_token: laptop.refresh_token } })).status, 401)
    const again = await p.api('POST', '/api/auth/login', { body: { username: c.email, password: c.password } })
    assert.equal(again.status, 403)
    // Reinstated, they sign in again.
    await p.api('PUT', `/api/customers/${c.id}/status`, { token: admin, body: { status: 'ACTIVE' } })
    await signIn(p, c.email, c.password)
  })

  await t.test('when a customer changes their password, then every session ends and only the new password signs in', async () => {
    const c = await createCustomer(p, admin)
    const one = await signIn(p, c.email, c.password)
    const two = await signIn(p, c.email, c.password)
    const wrong = await p.api('POST', '/api/auth/password', {
      token: one.access_token,
      body: { currentPassword: 'not the password', newPassword: 'a new password' },
    })
    assert.equal(wrong.status, 400)
    assert.deepEqual(
      wrong.body.error.details.map((d: { field: string }) => d.field),
      ['currentPassword'],
    )
    const short = await p.api('POST', '/api/auth/password', {
      token: one.access_token,
      body: { currentPassword: c.password, newPassword: 'short' },
    })
    assert.equal(short.status, 400)
    assert.equal((await me(p, one.access_token)).status, 200, 'a refused change ends nothing')

    const changed = await p.api('POST', '/api/auth/password', {
      token: one.access_token,
      body: { currentPassword: c.password, newPassword: 'a new password' },
    })
    assert.equal(changed.status, 204, JSON.stringify(changed.body))
    await refusedWithinASecond(p, one.access_token)
    await refusedWithinASecond(p, two.access_token)
    assert.equal((await p.api('POST', '/api/auth/login', { body: { username: c.email, password: c.password } })).status, 401)
    await signIn(p, c.email, 'a new password')
  })

  await t.test('when the admin tries to change a password, then 403: theirs is configuration', async () => {
    const res = await p.api('POST', '/api/auth/password', { token: admin, body: { currentPassword: 'admin', newPassword: 'whatever1' } })
    assert.equal(res.status, 403)
  })

  await t.test(
    'when one account fails to sign in five times, then 429 with Retry-After, alike for a known and an unknown account',
    async () => {
      const c = await createCustomer(p, admin)
      const attempt = (username: string) => p.api('POST', '/api/auth/login', { body: { username, password: 'wrong password' } })
      for (let i = 0; i < 5; i++) {
        assert.equal((await attempt(c.email)).status, 401)
        assert.equal((await attempt('nobody-here@example.com')).status, 401)
      }
      const known = await attempt(c.email)
      const unknown = await attempt('nobody-here@example.com')
      assert.equal(known.status, 429)
      assert.equal(unknown.status, 429)
      assert.deepEqual(unknown.body.error.message, known.body.error.message)
      assert.ok(Number(known.headers.get('retry-after')) >= 1)
      // The right password waits too: the lock is on the account, not on the guess.
      assert.equal((await p.api('POST', '/api/auth/login', { body: { username: c.email, password: c.password } })).status, 429)
    },
  )

  await t.test(
    'when a customer signs in, refreshes, changes password and withdraws, then no log holds a password, token or IBAN',
    async () => {
      const password = `first-${Math.random().toString(36).slice(2)}`
      const newPassword = `second-${Math.random().toString(36).slice(2)}`
      const c = await createCustomer(p, admin, { password })
      await deposit(p, admin, c.id, 10_000)
      const first = await signIn(p, c.email, password)
      const second = (await p.api<Tokens>('POST', '/api/auth/refresh', { body: { refresh_token: first.refresh_token } })).body
      const w = await p.api('POST', `/api/customers/${c.id}/withdrawals`, {
        token: second.access_token,
        body: { amount: 5_000, iban: IBAN },
      })
      assert.equal(w.status, 202, JSON.stringify(w.body))
      await until(
        'the withdrawal to complete',
        async () => (await p.api('GET', `/api/customers/${c.id}/movements`, { token: admin })).body,
        (page) => page?.content?.some((m: { id: string; status: string }) => m.id === w.body.id && m.status === 'COMPLETED'),
      )
      const changed = await p.api('POST', '/api/auth/password', {
        token: second.access_token,
        body: { currentPassword: password, newPassword },
      })
      assert.equal(changed.status, 204)
      const third = await signIn(p, c.email, newPassword)
      await p.api('POST', '/api/auth/logout', { token: third.access_token })

      const secrets = {
        password,
        newPassword,
        IBAN,
        ...Object.fromEntries(
          [first, second, third].flatMap((s, i) => [
            [`access token ${i}`, s.access_token],
            [`access token ${i} signature`, s.access_token.split('.')[2]!],
            [`refresh token ${i}`, s.refresh_token],
          ]),
        ),
      }
      // The folder also holds the development certificates (tls/): the logs are the .log files.
      const files = (await readdir(p.logDir)).filter((f) => f.endsWith('.log'))
      assert.equal(files.length, p.services.length, `one log per service: ${files.join(', ')}`)
      let lines = 0
      for (const f of files) {
        const text = await readFile(join(p.logDir, f), 'utf8')
        lines += text.split('\n').length
        for (const [what, secret] of Object.entries(secrets)) assert.equal(text.includes(secret), false, `${what} found in ${f}`)
      }
      assert.ok(lines > 50, 'the services logged the requests')
    },
  )
})
