import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { newEnvelope, SchemaValidationError, type Envelope } from '@brokerage/contracts'
import { createDb, migrate } from '../src/postgres/index.js'
import { createPgLogBus } from '../src/messaging/pglog.js'
import { listDeadLetters } from '../src/messaging/dlq.js'
import {
  createEventCodec,
  createOutbox,
  defineHandlers,
  OUTBOX_MIGRATIONS,
  startEventConsumer,
  startRelay,
  type EventEnvelope,
} from '../src/events/index.js'
import { createCollector, createTestDatabase, eventually } from '../src/testing.js'

const FAST = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 }
const codec = createEventCodec()

const deposit = (amount = 100, customerId = randomUUID()) =>
  newEnvelope('DepositRequested', { movementId: randomUUID(), customerId, assetName: 'TRY', amount, requestedAt: new Date().toISOString() })

async function setup(t: TestContext) {
  const url = await createTestDatabase(t, 'svc')
  const db = createDb({ url })
  t.after(() => db.close())
  await migrate(db, 'platform', OUTBOX_MIGRATIONS)
  await db.query('CREATE TABLE effects (event_id uuid PRIMARY KEY, amount bigint NOT NULL)')
  const bus = await createPgLogBus({ url: await createTestDatabase(t, 'bus') })
  t.after(() => bus.close())
  return { url, db, bus }
}

async function readTopic(bus: Awaited<ReturnType<typeof createPgLogBus>>, topic: string) {
  const out: EventEnvelope[] = []
  for (let p = 0; p < (await bus.partitionsOf(topic)); p++)
    for (const m of await bus.read(topic, p, 0, 10_000)) out.push(await codec.decode(m.value))
  return out
}

test('when events are added in a transaction, then the relay publishes the committed ones and never the rolled-back ones', async (t) => {
  const { url, db, bus } = await setup(t)
  const outbox = createOutbox(codec, { db })
  const relay = startRelay({ db, bus, url })
  t.after(() => relay.stop())
  const kept = deposit(1)
  const dropped = deposit(2)
  await db.tx(async (tx) => outbox.add(tx, kept))
  await assert.rejects(
    db.tx(async (tx) => {
      await outbox.add(tx, dropped)
      throw new Error('business rule failed')
    }),
  )
  await eventually(async () => (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, { what: 'outbox drained' })
  const published = await readTopic(bus, 'customer.events')
  assert.deepEqual(
    published.map((e) => e.id),
    [kept.id],
  )
  assert.deepEqual(published[0], kept, 'the envelope arrives exactly as written')
})

test('when an event does not match its schema, then adding it fails with a clear error and nothing is written', async (t) => {
  const { db } = await setup(t)
  const outbox = createOutbox(codec, { db })
  const bad = {
    ...deposit(),
    data: { movementId: randomUUID(), customerId: randomUUID(), assetName: 'TRY', amount: 1.5, requestedAt: 'yesterday' },
  } as unknown as Envelope
  const err = await db.tx((tx) => outbox.add(tx, bad)).catch((e: unknown) => e)
  assert.ok(err instanceof SchemaValidationError)
  assert.match(err.message, /data\.amount/)
  assert.match(err.message, /data\.requestedAt/)
  assert.equal((await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n, 0)
})

test('when two relays share a database, then one publishes and the other takes over when it dies, in order, losing nothing', async (t) => {
  const { url, db, bus } = await setup(t)
  const outbox = createOutbox(codec, { db })
  const a = startRelay({ db, bus, url, idleMs: 50 })
  const b = startRelay({ db, bus, url, idleMs: 50 })
  t.after(() => b.stop())
  const customerId = randomUUID()
  const first = Array.from({ length: 20 }, (_, i) => deposit(i + 1, customerId))
  for (const e of first) await db.tx((tx) => outbox.add(tx, e))
  await eventually(async () => (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0)
  await a.stop()
  const second = Array.from({ length: 20 }, (_, i) => deposit(100 + i, customerId))
  for (const e of second) await db.tx((tx) => outbox.add(tx, e))
  await eventually(async () => (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, {
    what: 'the standby relay to take over',
  })
  const published = (await readTopic(bus, 'customer.events')).map((e) => e.id)
  assert.deepEqual(
    published,
    [...first, ...second].map((e) => e.id),
    'one key, one order',
  )
})

test('when the same event arrives twice, a malformed message or an unknown schema shows up, or a handler keeps failing, then effects apply once, bad messages are dead-lettered and the partition keeps flowing', async (t) => {
  const { db, bus } = await setup(t)
  const seen = createCollector<string>()
  const customerId = randomUUID()
  let failures = 0
  await startEventConsumer({
    db,
    bus,
    codec,
    groupId: 'effects',
    topics: ['customer.events'],
    retry: FAST,
    handlers: defineHandlers({
      DepositRequested: async (event, { tx }) => {
        const { amount } = event.data
        if (amount === 13) {
          failures++
          throw new Error('unlucky amount')
        }
        await tx.query('INSERT INTO effects (event_id, amount) VALUES ($1, $2)', [event.id, amount])
        seen.push(event.id)
      },
    }),
  })
  const once = deposit(1, customerId)
  const unlucky = deposit(13, customerId)
  const last = deposit(2, customerId)
  const frame = await codec.encode(once)
  const unknownSchema = Buffer.from(frame)
  unknownSchema.writeUInt32BE(999_999, 1)
  await bus.publish([
    { topic: 'customer.events', key: customerId, value: frame },
    { topic: 'customer.events', key: customerId, value: frame },
    { topic: 'customer.events', key: customerId, value: Buffer.from('not avro at all') },
    { topic: 'customer.events', key: customerId, value: unknownSchema },
    { topic: 'customer.events', key: customerId, value: await codec.encode(unlucky) },
    { topic: 'customer.events', key: customerId, value: await codec.encode(last) },
  ])
  await seen.until((ids) => ids.includes(last.id), { what: 'the message after the bad ones' })
  assert.deepEqual(seen.items, [once.id, last.id])
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM effects')
  assert.equal(rows[0]!.n, 2)
  assert.equal(failures, FAST.attempts)
  const dead = await listDeadLetters(bus, { topic: 'customer.events' })
  assert.deepEqual(
    dead.map((d) => [d.errorCode, d.attempts]),
    [
      ['EVENT_MALFORMED', 1],
      ['EVENT_MALFORMED', 1],
      ['HANDLER_FAILED', FAST.attempts],
    ],
  )
})

for (const path of ['batch', 'one by one'] as const) {
  test(`when an event id arrives upper-case (${path}), then its effect runs once and the handler sees the id in its canonical lower-case form`, async (t) => {
    const { db, bus } = await setup(t)
    const seen = createCollector<string>()
    await startEventConsumer({
      db,
      bus,
      codec,
      groupId: 'effects',
      topics: ['customer.events'],
      retry: FAST,
      batchTransactions: path === 'batch',
      handlers: defineHandlers({
        DepositRequested: async (event, { tx }) => {
          await tx.query('INSERT INTO effects (event_id, amount) VALUES ($1, $2)', [event.id, event.data.amount])
          seen.push(event.id)
        },
      }),
    })
    const customerId = randomUUID()
    const events = [deposit(1, customerId), { ...deposit(2, customerId), id: randomUUID().toUpperCase() }, deposit(3, customerId)]
    // One publish, one key: the three land in one partition and reach the consumer as one batch.
    await bus.publish(
      await Promise.all(events.map(async (e) => ({ topic: 'customer.events', key: customerId, value: await codec.encode(e) }))),
    )
    await seen.until((ids) => ids.length === 3, { what: 'all three effects' })
    assert.deepEqual(
      seen.items,
      events.map((e) => e.id.toLowerCase()),
    )
    const { rows } = await db.query<{ amount: number }>('SELECT amount FROM effects ORDER BY amount')
    assert.deepEqual(
      rows.map((r) => r.amount),
      [1, 2, 3],
    )
    const inbox = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox')
    assert.equal(inbox.rows[0]!.n, 3)
  })
}
