import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { createServiceRuntime } from '@brokerage/platform'
import { createTestDatabase, testServiceConfig } from '@brokerage/platform/testing'
import { createCustomers } from '../src/customers.js'
import { createIdempotency } from '../src/idempotency.js'
import { createPasswords } from '../src/passwords.js'
import { createStore } from '../src/store.js'

// SPEC §4: two requests with one Idempotency-Key race. The gRPC test sends them at once and only
// sometimes hits the window this one opens every time: the second request's key check runs before
// the first commits, its e-mail check after.
test('when a twin with the same key commits between this request’s key check and its e-mail check, then it answers the twin’s customer, not ALREADY_EXISTS', async (t) => {
  const runtime = await createServiceRuntime({
    name: 'customer',
    config: testServiceConfig({ databaseUrl: await createTestDatabase(t, 'customer_race'), bus: { kind: 'memory' }, grpcPort: undefined }),
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })
  t.after(() => runtime.stop())
  const { db, outbox } = runtime
  const now = () => new Date()
  const store = createStore()
  const passwords = createPasswords({ cost: 10 })
  const idempotency = createIdempotency({ db, passwords, now })
  const first = createCustomers({ db, store, outbox, passwords, idempotency, now })
  const input = {
    name: 'Ada Lovelace',
    email: `ada-${randomUUID()}@example.com`,
    password: 'correct horse battery',
    tier: 'STANDARD' as const,
    brokerId: null,
  }
  const actor = { subject: 'admin', role: 'ADMIN' as const, requestId: 'req-1' }
  const key = randomUUID()

  let twin: Promise<unknown> | undefined
  const second = createCustomers({
    db,
    store,
    outbox,
    passwords,
    now,
    idempotency: {
      ...idempotency,
      // The second request finds the key free; the first then runs to its commit before the second goes on.
      replay: async (req, load) => {
        const found = await idempotency.replay(req, load)
        twin ??= first.create(actor, input, key)
        await twin
        return found
      },
    },
  })
  const answer = await second.create(actor, input, key)
  assert.deepEqual(answer, await twin)
  const { rows } = await db.query('SELECT 1 FROM customers WHERE email = $1', [input.email])
  assert.equal(rows.length, 1)
})
