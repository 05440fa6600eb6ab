import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { createPgLogBus } from '../src/messaging/pglog.js'
import { databaseUrl } from '../src/postgres/db.js'
import { createCollector, createTestDatabase, testServerUrl } from '../src/testing.js'

test('when a member loses its connection and cannot reconnect at first, then it rejoins once the database lets it, and stops cleanly', async (t) => {
  const url = await createTestDatabase(t, 'bus')
  const database = new URL(url).pathname.slice(1)
  const admin = new pg.Client({ connectionString: databaseUrl(await testServerUrl(), 'postgres') })
  await admin.connect()
  t.after(() => admin.end())
  const failures = createCollector<{ code?: string }>()
  const bus = await createPgLogBus({ url, log: (o) => failures.push((o as { err: { code?: string } }).err) })
  t.after(() => bus.close())
  const topic = `t-${randomUUID()}`
  const group = `g-${randomUUID()}`
  await bus.ensureTopic(topic, { partitions: 1 })
  const got = createCollector<string>()
  const consumer = await bus.consume({
    groupId: group,
    topics: [topic],
    handleBatch: async (b) => b.messages.forEach((m) => got.push(m.value.toString())),
  })
  await consumer.ready()
  await bus.publish([{ topic, key: 'k', value: Buffer.from('before') }])
  await got.until((i) => i.includes('before'))

  // The member's control connection dies and, for a while, no new connection is let in.
  await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`)
  const { rows } = await admin.query<{ n: number }>(
    'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1',
    [`bus:${group}`],
  )
  assert.equal(rows[0]!.n, 1)
  // Each refused reconnect is reported, and the member keeps trying rather than waiting on a dead connection.
  await failures.until((errs) => errs.filter((e) => e.code === '55000').length >= 2, { what: 'reconnects refused by the database' })
  await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`)

  await bus.publish([{ topic, key: 'k', value: Buffer.from('after') }])
  await got.until((i) => i.includes('after'), { what: 'the member to rejoin and consume again' })
  await consumer.stop()
})
