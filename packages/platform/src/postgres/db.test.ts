import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDatabase } from '../testing.js'
import { createDb } from './db.js'

// Found by `npm run chaos` (pg_terminate_backend of the services' connections): a connection
// the server ended while a transaction held it emitted 'error' on a client nobody listened
// to, and five of the seven services exited on the uncaught exception.
test('when the server ends the connection of an open transaction, then tx() fails with it and the process carries on', async (t) => {
  const url = await createTestDatabase(t, 'db')
  const db = createDb({ url, max: 2 })
  const admin = createDb({ url, max: 1 })
  t.after(() => Promise.all([db.close(), admin.close()]))

  await assert.rejects(
    db.tx(async (tx) => {
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      const ended = new Promise((resolve) => tx.once('end', resolve))
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid])
      // No query is running when the connection ends: the client itself reports it.
      await ended
      await tx.query('SELECT 1')
    }),
    /Connection terminated|not queryable|terminat/i,
  )
  const { rows } = await db.query<{ ok: number }>('SELECT 1 AS ok')
  assert.deepEqual(rows, [{ ok: 1 }], 'the pool answers on a new connection')
})
