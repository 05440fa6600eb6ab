import assert from 'node:assert/strict'
import crypto, { randomUUID } from 'node:crypto'
import { syncBuiltinESMExports } from 'node:module'
import { mock, test, type TestContext } from 'node:test'
import { DEFAULT_CONCURRENCY, createPasswords } from '../src/passwords.js'
import { PASSWORD, startHarness } from './harness.js'

// Each scrypt run holds 128·N·r bytes (64 MiB at the default cost) until it ends, and libuv's
// pool would run four at once: the service's peak memory is bounded by how many run together.

/** Counts node:crypto's scrypt runs in flight (the real scrypt still does the work), for the test's duration. */
function countScryptRuns(t: TestContext) {
  const counts = { inFlight: 0, max: 0, runs: 0 }
  const real = crypto.scrypt
  const spy = mock.method(crypto, 'scrypt', (...args: unknown[]) => {
    counts.runs++
    counts.max = Math.max(counts.max, ++counts.inFlight)
    const done = args.pop() as (err: Error | null, key: Buffer) => void
    ;(real as (...a: unknown[]) => void)(...args, (err: Error | null, key: Buffer) => {
      counts.inFlight--
      done(err, key)
    })
  })
  // The ES module binding `import { scrypt } from 'node:crypto'` follows the CommonJS object only when synced.
  syncBuiltinESMExports()
  t.after(() => {
    spy.mock.restore()
    syncBuiltinESMExports()
  })
  return counts
}

test('when a burst of sign-ups and sign-ins reaches the customer service, then no more password hashes run at once than the cap and every one succeeds', async (t) => {
  const h = await startHarness(t)
  const existing = await Promise.all(Array.from({ length: 6 }, () => h.createCustomer({ email: `burst-${randomUUID()}@example.com` })))
  const scrypt = countScryptRuns(t)

  const signUps = Array.from({ length: 12 }, () => h.createCustomer({ email: `burst-${randomUUID()}@example.com` }))
  const signIns = existing.flatMap((c) => [
    h.identity('Authenticate', { username: c.email as string, password: PASSWORD }),
    h.identity('Authenticate', { username: c.email as string, password: PASSWORD }),
  ])
  const [created, principals] = await Promise.all([Promise.all(signUps), Promise.all(signIns)])

  assert.equal(created.length, 12)
  assert.deepEqual(
    principals.map((p) => p.subject),
    existing.flatMap((c) => [c.id, c.id]),
  )
  assert.equal(scrypt.runs, 24, 'one hash per sign-up and per sign-in')
  assert.ok(scrypt.max <= DEFAULT_CONCURRENCY, `${scrypt.max} scrypt runs were in flight at once`)
})

test('when more hashes are asked at once than the cap allows, then one runs at a time, the rest wait, and each answer is right', async (t) => {
  const passwords = createPasswords({ cost: 10, concurrency: 1 })
  const stored = await passwords.hash('s3cret pass')
  const scrypt = countScryptRuns(t)

  const answers = await Promise.all([
    ...Array.from({ length: 4 }, () => passwords.hash('another pass')),
    ...Array.from({ length: 4 }, (_, i) => passwords.verify(i % 2 ? 's3cret pass' : 'wrong pass', stored)),
  ])

  for (const h of answers.slice(0, 4)) assert.equal(await passwords.verify('another pass', h as string), true)
  assert.deepEqual(answers.slice(4), [false, true, false, true])
  assert.equal(scrypt.max, 1, 'scrypt runs in flight at once')
  assert.throws(() => createPasswords({ concurrency: 0 }), /concurrency/)
})
