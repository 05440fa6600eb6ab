import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { newEnvelope, SchemaValidationError, type Envelope } from '@brokerage/contracts'
import { createDb, migrate, type Db } from '../src/postgres/index.js'
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

/** Publishes deposits to their topic, each keyed by its customer (as the customer service's outbox does). */
async function publishDeposits(bus: Awaited<ReturnType<typeof createPgLogBus>>, events: ReturnType<typeof deposit>[]) {
  await bus.publish(
    await Promise.all(events.map(async (e) => ({ topic: 'customer.events', key: e.data.customerId, value: await codec.encode(e) }))),
  )
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
  const customerId = randomUUID()
  // Every row is written before a relay runs, so the first batch holds ids 1 to 20 and an
  // order by the ids as text ("10" before "9") shows at once, not only when wake-ups let a
  // batch grow past 9.
  const first = Array.from({ length: 20 }, (_, i) => deposit(i + 1, customerId))
  for (const e of first) await db.tx((tx) => outbox.add(tx, e))
  const a = startRelay({ db, bus, url, idleMs: 50 })
  await eventually(async () => (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0)
  const b = startRelay({ db, bus, url, idleMs: 50 })
  t.after(() => b.stop())
  await a.stop()
  // One commit of ids 21 to 110: the standby's first batch crosses 99 to 100 whenever it takes over.
  const second = Array.from({ length: 90 }, (_, i) => deposit(100 + i, customerId))
  await db.tx((tx) => outbox.add(tx, ...second))
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
  const outcomes = createCollector<string>()
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
      },
    }),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
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
  await outcomes.until((o) => o.filter((x) => x === 'ok').length === 2 && o.filter((x) => x === 'dlq').length === 3, {
    what: 'the message after the bad ones',
  })
  // The handler may also have run inside a batch that rolled back; what counts is what was committed.
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM effects')
  assert.deepEqual(rows.map((r) => r.event_id).sort(), [once.id, last.id].sort())
  assert.ok(failures >= FAST.attempts)
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
    await publishDeposits(bus, events)
    await seen.until((ids) => ids.length === 3, { what: 'all three effects' })
    assert.deepEqual(
      seen.items,
      events.map((e) => e.id.toLowerCase()),
    )
    // The handler saw the third event inside its transaction; its commit may still be on the way.
    await eventually(async () => (await db.query('SELECT count(*)::int AS n FROM inbox')).rows[0]!.n >= 3, { what: 'all three committed' })
    const { rows } = await db.query<{ amount: number }>('SELECT amount FROM effects ORDER BY amount')
    assert.deepEqual(
      rows.map((r) => r.amount),
      [1, 2, 3],
    )
    const inbox = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox')
    assert.equal(inbox.rows[0]!.n, 3)
  })
}

/** A Db whose transactions count the statements run through them (BEGIN and COMMIT aside). */
function countingStatements(db: Db) {
  const perTransaction: string[][] = []
  const counted: Db = {
    ...db,
    tx: (fn) =>
      db.tx((client) => {
        const texts: string[] = []
        perTransaction.push(texts)
        const query = (...args: Parameters<typeof client.query>) => {
          texts.push(String(args[0]))
          return (client.query as (...a: unknown[]) => unknown)(...args)
        }
        return fn(new Proxy(client, { get: (target, p) => (p === 'query' ? query : Reflect.get(target, p)) }))
      }),
  }
  return { db: counted, perTransaction }
}

/** A set-based handler that applies a run in one statement and records each run it was given. */
function depositEffects(runs: string[][], failOn: number | null = null) {
  return defineHandlers({
    DepositRequested: {
      batch: async (events, { tx }) => {
        runs.push(events.map((e) => e.id))
        if (events.some((e) => e.data.amount === failOn)) throw new Error('unlucky amount')
        await tx.query('INSERT INTO effects (event_id, amount) SELECT * FROM unnest($1::uuid[], $2::bigint[])', [
          events.map((e) => e.id),
          events.map((e) => e.data.amount),
        ])
      },
    },
  })
}

async function effectsInOrder(db: Db) {
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM effects ORDER BY seq')
  return rows.map((r) => r.event_id)
}

test('when one batch holds a duplicate, a poison message and an event whose set-based handler fails, among good events, then each good effect applies once and in order, and only the poison and the failing event are dead-lettered', async (t) => {
  const { db, bus } = await setup(t)
  await db.query('ALTER TABLE effects ADD COLUMN seq bigserial')
  const customerId = randomUUID()
  const [g1, g2, g3, g4, g5] = [1, 2, 3, 4, 5].map((n) => deposit(n, customerId))
  const seenBefore = deposit(6, customerId)
  const failing = deposit(13, customerId)
  await db.query(`INSERT INTO inbox (group_id, event_id) VALUES ('effects', $1)`, [seenBefore.id])
  const poison = Buffer.from('not avro at all')
  const sequence = [g1!, g2!, seenBefore, poison, g3!, failing, g4!, g5!]
  // One publish under one key: the batch reaches the consumer whole, in this order.
  await bus.publish(
    await Promise.all(
      sequence.map(async (e) => ({ topic: 'customer.events', key: customerId, value: Buffer.isBuffer(e) ? e : await codec.encode(e) })),
    ),
  )
  const runs: string[][] = []
  const outcomes = createCollector<string>()
  await startEventConsumer({
    db,
    bus,
    codec,
    groupId: 'effects',
    topics: ['customer.events'],
    retry: FAST,
    handlers: depositEffects(runs, 13),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
  })
  await outcomes.until((o) => o.filter((x) => x === 'dlq').length === 2 && o.filter((x) => x === 'ok').length === 5, {
    what: 'five effects and two dead letters',
  })

  const good = [g1!, g2!, g3!, g4!, g5!].map((e) => e.id)
  assert.deepEqual(await effectsInOrder(db), good, 'each good effect once, in partition order; none for the duplicate')
  assert.deepEqual(runs[0], [...good.slice(0, 3), failing.id, ...good.slice(3)], 'first the whole run of fresh events at once')
  assert.deepEqual(
    runs.slice(1).filter((r) => r.length !== 1),
    [],
    'then, the batch having failed, one event at a time',
  )
  assert.equal(runs.filter((r) => r[0] === failing.id).length, FAST.attempts, 'the failing event is retried alone')
  const dead = await listDeadLetters(bus, { topic: 'customer.events' })
  assert.deepEqual(
    await Promise.all(
      dead.map(async (d) => [
        d.errorCode,
        d.attempts,
        d.message.value.equals(poison) ? 'poison' : (await codec.decode(d.message.value)).id,
      ]),
    ),
    [
      ['EVENT_MALFORMED', 1, 'poison'],
      ['HANDLER_FAILED', FAST.attempts, failing.id],
    ],
  )
  assert.equal(outcomes.items.filter((o) => o === 'duplicate').length, 1)
})

test('when a batch holds a duplicate and a poison message but no failing event, then the set-based handler gets every fresh event in one call and the poison alone is dead-lettered', async (t) => {
  const { db, bus } = await setup(t)
  await db.query('ALTER TABLE effects ADD COLUMN seq bigserial')
  const customerId = randomUUID()
  const [g1, g2, g3] = [1, 2, 3].map((n) => deposit(n, customerId))
  const seenBefore = deposit(6, customerId)
  await db.query(`INSERT INTO inbox (group_id, event_id) VALUES ('effects', $1)`, [seenBefore.id])
  const poison = Buffer.from('not avro at all')
  const sequence = [g1!, seenBefore, poison, g2!, g3!]
  await bus.publish(
    await Promise.all(
      sequence.map(async (e) => ({ topic: 'customer.events', key: customerId, value: Buffer.isBuffer(e) ? e : await codec.encode(e) })),
    ),
  )
  const runs: string[][] = []
  const outcomes = createCollector<string>()
  await startEventConsumer({
    db,
    bus,
    codec,
    groupId: 'effects',
    topics: ['customer.events'],
    retry: FAST,
    handlers: depositEffects(runs),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
  })
  await outcomes.until((o) => o.length === sequence.length, { what: 'an outcome for every message' })

  const good = [g1!, g2!, g3!].map((e) => e.id)
  assert.deepEqual(runs, [good])
  assert.deepEqual(await effectsInOrder(db), good)
  assert.deepEqual([...outcomes.items].sort(), ['dlq', 'duplicate', 'ok', 'ok', 'ok'])
  const dead = await listDeadLetters(bus, { topic: 'customer.events' })
  assert.deepEqual(
    dead.map((d) => [d.errorCode, d.message.value.equals(poison)]),
    [['EVENT_MALFORMED', true]],
  )
})

test('when the same event id appears twice in one batch, then its effect applies once and the handler gets it once', async (t) => {
  const { db, bus } = await setup(t)
  // No key on the effects here: applying an event twice must show as a second row, not
  // as a constraint failure that sends the batch down the per-event path.
  await db.query('CREATE TABLE applied (seq bigserial, event_id uuid NOT NULL, amount bigint NOT NULL)')
  const customerId = randomUUID()
  const [g1, g2, g3] = [1, 2, 3].map((n) => deposit(n, customerId))
  const sequence = [g1!, g2!, g1!, g3!, g2!]
  await bus.publish(
    await Promise.all(sequence.map(async (e) => ({ topic: 'customer.events', key: customerId, value: await codec.encode(e) }))),
  )
  const runs: string[][] = []
  const outcomes = createCollector<string>()
  await startEventConsumer({
    db,
    bus,
    codec,
    groupId: 'effects',
    topics: ['customer.events'],
    retry: FAST,
    handlers: defineHandlers({
      DepositRequested: {
        batch: async (events, { tx }) => {
          runs.push(events.map((e) => e.id))
          await tx.query('INSERT INTO applied (event_id, amount) SELECT * FROM unnest($1::uuid[], $2::bigint[])', [
            events.map((e) => e.id),
            events.map((e) => e.data.amount),
          ])
        },
      },
    }),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
  })
  await outcomes.until((o) => o.length === sequence.length, { what: 'an outcome for every message' })

  const once = [g1!, g2!, g3!].map((e) => e.id)
  assert.deepEqual(runs, [once], 'one call, each event once, in first-seen order')
  const { rows } = await db.query<{ event_id: string }>('SELECT event_id FROM applied ORDER BY seq')
  assert.deepEqual(
    rows.map((r) => r.event_id),
    once,
  )
  assert.deepEqual([...outcomes.items].sort(), ['duplicate', 'duplicate', 'ok', 'ok', 'ok'])
})

for (const kind of ['set-based', 'per-event'] as const) {
  test(`when batches of 3 and of 40 events reach a ${kind} handler, then ${kind === 'set-based' ? 'both cost the same statements' : 'each event costs a statement more'}`, async (t) => {
    const { db, bus } = await setup(t)
    const counting = countingStatements(db)
    const outcomes = createCollector<string>()
    const runs: string[][] = []
    await startEventConsumer({
      db: counting.db,
      bus,
      codec,
      groupId: 'effects',
      topics: ['customer.events'],
      retry: FAST,
      handlers:
        kind === 'set-based'
          ? depositEffects(runs)
          : defineHandlers({
              DepositRequested: async (event, { tx }) => {
                await tx.query('INSERT INTO effects (event_id, amount) VALUES ($1, $2)', [event.id, event.data.amount])
              },
            }),
      onOutcome: ({ outcome }) => outcomes.push(outcome),
    })
    const customerId = randomUUID()
    for (const n of [3, 40]) {
      const before = outcomes.items.length
      const events = Array.from({ length: n }, (_, i) => deposit(i + 1, customerId))
      await publishDeposits(bus, events)
      await outcomes.until((o) => o.length === before + n, { what: `${n} events handled` })
    }
    assert.deepEqual(
      outcomes.items.filter((o) => o !== 'ok'),
      [],
    )
    assert.deepEqual(
      counting.perTransaction.map((texts) => texts.length),
      kind === 'set-based' ? [2, 2] : [1 + 3, 1 + 40],
      'one inbox statement, then the handler’s',
    )
  })
}

test('when events of several partitions come in one fetch, then a set-based handler gets them in one transaction, each partition in its order', async (t) => {
  const { db, bus } = await setup(t)
  await db.query('ALTER TABLE effects ADD COLUMN seq bigserial')
  // Twelve customers spread over the partitions, two events each; published before the
  // consumer starts, so its first fetch reads them all at once.
  const events = Array.from({ length: 12 }, () => randomUUID()).flatMap((customerId) => [deposit(1, customerId), deposit(2, customerId)])
  await publishDeposits(bus, events)
  const counting = countingStatements(db)
  const runs: string[][] = []
  const outcomes = createCollector<string>()
  await startEventConsumer({
    db: counting.db,
    bus,
    codec,
    groupId: 'effects',
    topics: ['customer.events'],
    retry: FAST,
    handlers: depositEffects(runs),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
  })
  await outcomes.until((o) => o.length === events.length, { what: 'every event handled' })
  assert.deepEqual(
    counting.perTransaction.map((texts) => texts.length),
    [2],
    'one transaction: the inbox statement and one handler call',
  )
  assert.equal(runs.length, 1)
  const applied = await effectsInOrder(db)
  for (let i = 0; i < events.length; i += 2)
    assert.ok(applied.indexOf(events[i]!.id) < applied.indexOf(events[i + 1]!.id), 'a customer’s events keep their order')
})

test('when a fetch holds only events the group does not handle, then no transaction is opened and they count as skipped', async (t) => {
  const { db, bus } = await setup(t)
  // Deposits published before the consumer starts, so its first fetch reads them together.
  const events = Array.from({ length: 6 }, () => deposit(1))
  await publishDeposits(bus, events)
  const counting = countingStatements(db)
  const outcomes = createCollector<string>()
  const transactions: number[] = []
  await startEventConsumer({
    db: counting.db,
    bus,
    codec,
    groupId: 'withdrawals-only',
    topics: ['customer.events'],
    retry: FAST,
    handlers: defineHandlers({
      WithdrawalRequested: async () => {
        throw new Error('no withdrawal was published')
      },
    }),
    onOutcome: ({ outcome }) => outcomes.push(outcome),
    onTransaction: (n) => transactions.push(n),
  })
  await outcomes.until((o) => o.length === events.length, { what: 'every event seen' })
  assert.deepEqual(outcomes.items, Array(events.length).fill('skipped'))
  assert.deepEqual(counting.perTransaction, [], 'no transaction for events nobody here handles')
  assert.deepEqual(transactions, [])
})
