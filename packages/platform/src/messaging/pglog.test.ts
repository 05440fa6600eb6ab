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
