import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createCollector, createTestDatabase, eventually } from '../testing.js'
import { createPgLogBus } from './pglog.js'
import type { Message } from './port.js'

test('when the members of a group connect as different database roles, then none takes the other for dead and the group keeps its split', async (t) => {
  const url = await createTestDatabase(t, 'bus')
  const admin = await createPgLogBus({ url })
  t.after(() => admin.close())
  // Two plain roles (not superusers, not members of each other), as two services with a user each.
  const roles = ['a', 'b'].map((r) => `bus_${r}_${randomUUID().replaceAll('-', '').slice(0, 12)}`)
  for (const role of roles) {
    await admin.db.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw'`)
    await admin.db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${role}; GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role}`)
  }
  t.after(async () => {
    for (const role of roles) await admin.db.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => {})
  })
  const topic = `t-${randomUUID()}`
  const group = `g-${randomUUID()}`
  await admin.ensureTopic(topic, { partitions: 4 })
  const errors: string[] = []
  const got = createCollector<Message>()
  const members = []
  for (const role of roles) {
    const u = new URL(url)
    u.username = role
    u.password = 'pw'
    const bus = await createPgLogBus({ url: u.toString(), log: (obj) => errors.push(String((obj as { err?: Error }).err?.message)) })
    t.after(() => bus.close())
    members.push(await bus.consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => got.push(m)) }))
  }
  const [a, b] = members as [(typeof members)[0], (typeof members)[0]]
  await eventually(async () => (a.assignments().length === 2 && b.assignments().length === 2) || undefined, { what: 'an even split' })
  await admin.publish(Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i}`, value: Buffer.from(`m${i}`) })))
  await got.until((i) => i.length >= 40, { what: 'the 40 records' })
  // The split holds over the rebalances that run meanwhile: both members are still in the group.
  const { rows } = await admin.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_members WHERE group_id = $1', [group])
  assert.equal(rows[0]!.n, 2)
  assert.deepEqual(
    errors.filter((e) => e.includes('no longer in its group')),
    [],
  )
})

test('when records pass the retention, then they are deleted (dead letters kept) and a consumer behind them reads on from the earliest left', async (t) => {
  const url = await createTestDatabase(t, 'bus')
  const bus = await createPgLogBus({ url, retentionMs: 3_600_000, retentionIntervalMs: 3_600_000, retentionBatch: 2 })
  t.after(() => bus.close())
  const topic = `t-${randomUUID()}`
  const dlq = `${topic}.dlq`
  await bus.ensureTopic(topic, { partitions: 1 })
  await bus.ensureTopic(dlq, { partitions: 1 })
  await bus.publish(Array.from({ length: 7 }, (_, i) => ({ topic, key: 'k', value: Buffer.from(`m${i}`) })))
  await bus.publish([{ topic: dlq, key: 'k', value: Buffer.from('dead') }])
  // The first five records, and the dead letter, were appended two hours ago.
  await bus.db.query(`UPDATE bus_log SET ts = now() - interval '2 hours' WHERE (topic = $1 AND "offset" < 5) OR topic = $2`, [topic, dlq])

  assert.equal(await bus.pruneExpired(), 5)
  assert.deepEqual(
    (await bus.read(topic, 0, 0, 100)).map((m) => m.offset),
    [5, 6],
  )
  assert.equal((await bus.read(dlq, 0, 0, 100)).length, 1)
  assert.equal(await bus.pruneExpired(), 0)

  // A group that never committed starts at offset 0, below the earliest record: it reads 5, 6 and what follows.
  const got = createCollector<string>()
  await bus.consume({
    groupId: `g-${randomUUID()}`,
    topics: [topic],
    handleBatch: async (b) => b.messages.forEach((m) => got.push(m.value.toString())),
  })
  await bus.publish([{ topic, key: 'k', value: Buffer.from('m7') }])
  assert.deepEqual(await got.until((i) => i.length >= 3), ['m5', 'm6', 'm7'])
})

test('when a retention is set, then the bus deletes expired records on its own, on its interval', async (t) => {
  const url = await createTestDatabase(t, 'bus')
  const bus = await createPgLogBus({ url, retentionMs: 3_600_000, retentionIntervalMs: 20 })
  t.after(() => bus.close())
  const topic = `t-${randomUUID()}`
  await bus.ensureTopic(topic, { partitions: 1 })
  await bus.publish([0, 1].map((i) => ({ topic, key: 'k', value: Buffer.from(`m${i}`) })))
  await bus.db.query(`UPDATE bus_log SET ts = now() - interval '2 hours' WHERE topic = $1 AND "offset" = 0`, [topic])
  await eventually(async () => (await bus.read(topic, 0, 0, 10)).length === 1 || undefined, { what: 'the expired record deleted' })
  assert.deepEqual(
    (await bus.read(topic, 0, 0, 10)).map((m) => m.offset),
    [1],
  )
})
