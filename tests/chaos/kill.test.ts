import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec, OUTBOX_MIGRATIONS } from '@brokerage/platform/events'
import { createCollector, eventually, serviceUnderTest } from '@brokerage/platform/testing'

const WORKER = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url))

interface Worker {
  child: ChildProcess
  lines: ReturnType<typeof createCollector<string>>
  exited: Promise<unknown>
}

function startWorker(t: TestContext, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const lines = createCollector<string>()
  createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l))
  const exited = new Promise((r) => child.once('exit', r))
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    return exited.then(() => {})
  })
  return { child, lines, exited }
}

async function setup(t: TestContext) {
  // The worker processes are the service: the test stands up its database and bus.
  const { busUrl, databaseUrl: dbUrl, db, bus } = await serviceUnderTest(t, { name: 'svc', migrations: { platform: OUTBOX_MIGRATIONS } })
  await db.query(`
    CREATE TABLE effects (event_id uuid PRIMARY KEY, movement_id uuid NOT NULL, amount bigint NOT NULL);
    CREATE TABLE totals (n bigint NOT NULL, amount bigint NOT NULL); INSERT INTO totals VALUES (0, 0);
    CREATE TABLE produced (event_id uuid PRIMARY KEY);`)
  return { busUrl, dbUrl, db, bus }
}

test('when a consumer process is SIGKILLed mid-stream and restarted, then no effect is lost or doubled', async (t) => {
  const { busUrl, dbUrl, db, bus } = await setup(t)
  const codec = createEventCodec()
  const total = 400
  let expectedAmount = 0
  const records = []
  for (let i = 0; i < total; i++) {
    const e = newEnvelope('DepositRequested', {
      movementId: randomUUID(),
      customerId: randomUUID(),
      assetName: 'TRY',
      amount: 1000 + i,
      requestedAt: new Date().toISOString(),
    })
    expectedAmount += 1000 + i
    records.push({ topic: 'customer.events', key: e.key, value: await codec.encode(e) })
  }
  await bus.publish(records)

  const first = startWorker(t, { MODE: 'consume', BUS_URL: busUrl, DB_URL: dbUrl })
  await first.lines.until((l) => l.filter((x) => x.startsWith('handled')).length >= 100, { what: '100 events handled before the kill' })
  first.child.kill('SIGKILL')
  await first.exited
  const { rows: before } = await db.query<{ n: number }>('SELECT n FROM totals')
  assert.ok(before[0]!.n < total, 'the kill came mid-stream')

  const second = startWorker(t, { MODE: 'consume', BUS_URL: busUrl, DB_URL: dbUrl })
  await second.lines.until((l) => l.includes('ready'))
  await eventually(async () => (await bus.lag('chaos-consumer', ['customer.events'])).every((p) => p.lag === 0), {
    what: 'the group to catch up',
    timeoutMs: 60_000,
  })

  const { rows } = await db.query<{ n: number; amount: number; effects: number; distinct_movements: number }>(
    'SELECT n, amount, (SELECT count(*)::int FROM effects) AS effects, (SELECT count(DISTINCT movement_id)::int FROM effects) AS distinct_movements FROM totals',
  )
  assert.deepEqual(rows[0], { n: total, amount: expectedAmount, effects: total, distinct_movements: total })
})

test('when a producer is SIGKILLed between its commits and their publish, then a restart publishes every committed event and nothing else', async (t) => {
  const { busUrl, dbUrl, db, bus } = await setup(t)
  // Relay off: commits land, nothing is published, then the process dies.
  const producer = startWorker(t, { MODE: 'produce', BUS_URL: busUrl, DB_URL: dbUrl, COUNT: '1000000', RELAY: 'off' })
  await producer.lines.until((l) => l.length >= 50, { what: '50 commits' })
  producer.child.kill('SIGKILL')
  await producer.exited
  const { rows: committed } = await db.query<{ event_id: string }>('SELECT event_id::text FROM produced')
  const { rows: pending } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')
  assert.equal(pending[0]!.n, committed.length, 'every committed event waits in the outbox')

  // A restarted process (relay on) publishes them and produces a few more, then is killed too.
  const restarted = startWorker(t, { MODE: 'produce', BUS_URL: busUrl, DB_URL: dbUrl, COUNT: '1000000' })
  await restarted.lines.until((l) => l.length >= 50, { what: '50 more commits' })
  restarted.child.kill('SIGKILL')
  await restarted.exited

  const relayOnly = startWorker(t, { MODE: 'produce', BUS_URL: busUrl, DB_URL: dbUrl, COUNT: '0' })
  await relayOnly.lines.until((l) => l.includes('ready'))
  await eventually(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, {
    what: 'the outbox to drain',
  })

  const { rows: all } = await db.query<{ event_id: string }>('SELECT event_id::text FROM produced')
  const published = new Set<string>()
  for (let p = 0; p < (await bus.partitionsOf('customer.events')); p++) {
    for (const m of await bus.read('customer.events', p, 0, 100_000)) published.add(m.headers['event-id']!)
  }
  const committedIds = new Set(all.map((r) => r.event_id))
  assert.ok(committedIds.size >= 100)
  assert.deepEqual(
    [...committedIds].filter((id) => !published.has(id)),
    [],
    'no committed event is lost',
  )
  assert.deepEqual(
    [...published].filter((id) => !committedIds.has(id)),
    [],
    'no uncommitted event is published',
  )
})
