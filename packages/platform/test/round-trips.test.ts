import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { newEnvelope } from '@brokerage/contracts'
import { createDb, migrate } from '../src/postgres/index.js'
import type { OutgoingRecord } from '../src/messaging/port.js'
import { createPgLogBus } from '../src/messaging/pglog.js'
import type { GroupConsumerOptions } from '../src/messaging/group-consumer.js'
import { createEventCodec, createOutbox, OUTBOX_MIGRATIONS, startRelay } from '../src/events/index.js'
import { createCollector, createTestDatabase, eventually, teardown } from '../src/testing.js'

// Round trips of the relay, the consumer and the pglog bus. On this platform every statement
// costs a round trip, about 0.2 ms of PostgreSQL CPU and 0.15 ms of Node CPU (BENCHMARKS.md),
// so these are budgets, counted on every connection of the given application names.

const codec = createEventCodec()
const deposit = (amount: number, customerId: string) =>
  newEnvelope('DepositRequested', { movementId: randomUUID(), customerId, assetName: 'TRY', amount, requestedAt: new Date().toISOString() })

/** The statements sent by connections whose application_name is one of `names`, from now on. */
function countStatements(t: TestContext, names: string[]) {
  const sent: string[] = []
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }
  const original = proto.query
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const app = (this as unknown as { connectionParameters: { application_name?: string } }).connectionParameters.application_name
    if (app && names.includes(app)) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text
      if (text) sent.push(text.replace(/\s+/g, ' ').trim())
    }
    return original.apply(this, args)
  }
  teardown(t).after(() => {
    proto.query = original
  })
  return sent
}

async function serviceDb(t: TestContext) {
  const url = await createTestDatabase(t, 'svc')
  const db = createDb({ url })
  teardown(t).after(() => db.close())
  await migrate(db, 'platform', OUTBOX_MIGRATIONS)
  return { url, db }
}

test('when the relay publishes batch after batch under a continuous load, then each cycle costs one statement on the service database, and the last batch is deleted once the load stops', async (t) => {
  const { url, db } = await serviceDb(t)
  const sent = countStatements(t, ['outbox-relay', 'relay-pool'])
  const relayDb = createDb({ url, applicationName: 'relay-pool' })
  teardown(t).after(() => relayDb.close())
  const outbox = createOutbox(codec)
  const customerId = randomUUID()
  const events = Array.from({ length: 6 }, (_, i) => deposit(i + 1, customerId))
  await db.tx((tx) => outbox.add(tx, events[0]!))
  // Each publish commits the next event before it returns, as a busy service would.
  const published: OutgoingRecord[] = []
  const bus = {
    async publish(records: OutgoingRecord[]) {
      published.push(...records)
      const next = events[published.length]
      if (next) {
        await db.tx((tx) => outbox.add(tx, next))
        relay.wake()
      }
    },
  }
  // A long idle poll, so that no cycle but the load's and the final delete's runs.
  const relay = startRelay({ db: relayDb, bus, url, idleMs: 60_000 })
  teardown(t).after(() => relay.stop())

  await eventually(
    async () => published.length === events.length && (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0,
    {
      what: 'every event published and deleted',
    },
  )
  const headers = published.map((r) => r.headers?.['event-id'])
  assert.deepEqual(
    headers,
    events.map((e) => e.id),
    'in commit order',
  )
  const cycles = sent.filter((s) => / outbox /.test(s) && !s.startsWith('LISTEN'))
  // Six cycles that publish, and one that deletes the last batch (it found nothing more): two
  // statements a cycle (select, delete) made it 12.
  assert.equal(cycles.length, events.length + 1, cycles.join('\n'))
})

test('when an outbox row with a lower id commits after a higher one was published, then the relay still publishes it', async (t) => {
  const { url, db } = await serviceDb(t)
  const outbox = createOutbox(codec)
  const customerId = randomUUID()
  const [early, late] = [deposit(1, customerId), deposit(2, customerId)]
  const published: string[] = []
  const relay = startRelay({ db, bus: { publish: async (rs) => void published.push(...rs.map((r) => r.headers!['event-id']!)) }, url })
  teardown(t).after(() => relay.stop())
  // The early transaction takes the lower id and commits last.
  const slow = await db.pool.connect()
  slow.on('error', () => {}) // the database is dropped under it at the end
  teardown(t).after(() => slow.release())
  await slow.query('BEGIN')
  await outbox.add(slow, early)
  await db.tx((tx) => outbox.add(tx, late))
  relay.wake()
  await eventually(() => published.length === 1)
  await slow.query('COMMIT')
  relay.wake()
  await eventually(() => published.length === 2, { what: 'the late commit to be published' })
  assert.deepEqual(published, [late.id, early.id])
})

test('when a pglog member fetches while handled offsets wait for their commit, then the fetch stores them in the same statement', async (t) => {
  const bus = await createPgLogBus({ url: await createTestDatabase(t, 'bus') })
  teardown(t).after(() => bus.close())
  const sent = countStatements(t, ['bus-offsets'])
  const handled = createCollector<string>()
  // A commit interval far beyond the test: only a fetch can commit while the member runs. No
  // periodic poll either: one after "b" was handled would store the offset past it before the read.
  const options: GroupConsumerOptions = {
    groupId: 'g',
    topics: ['t'],
    commitIntervalMs: 3_600_000,
    pollIntervalMs: 3_600_000,
    commitWithFetchAfterMs: 0,
    handleBatch: async (b) => b.messages.forEach((m) => handled.push(m.value.toString())),
  }
  const consumer = await bus.consume(options)
  teardown(t).after(() => consumer.stop())
  await consumer.ready()
  await bus.publish([{ topic: 't', key: 'k', value: Buffer.from('a') }])
  await handled.until((x) => x.includes('a'))
  await bus.publish([{ topic: 't', key: 'k', value: Buffer.from('b') }])
  await handled.until((x) => x.includes('b'))
  const { rows } = await bus.db.query<{ committed: number }>('SELECT committed FROM bus_offsets WHERE group_id = $1', ['g'])
  assert.deepEqual(
    rows.map((r) => r.committed),
    [1],
    'the offset past "a", stored by the fetch that found "b"',
  )
  assert.deepEqual(
    sent.filter((s) => s.includes('bus_offsets')).map((s) => s.slice(0, 42)),
    ['WITH committed AS (INSERT INTO bus_offsets'],
  )
})
