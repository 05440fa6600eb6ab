import { test } from 'node:test'
import assert from 'node:assert/strict'
import { partitionFor } from '@brokerage/platform/messaging'
import { createDb } from '@brokerage/platform/postgres'
import { eventually, seededRandom, serviceUnderTest } from '@brokerage/platform/testing'
import {
  appliedCount,
  assertBooksMatch,
  assertPublishedMatch,
  caughtUp,
  commandStream,
  ENGINE_GROUP,
  handledBy,
  kill,
  model,
  OUTPUTS,
  processorLogDir,
  publishAll,
  startProcessor,
  type Command,
} from './fixtures/processor.js'

const SEED = 20250502
const PARTITIONS = 8

const distinct = (commands: readonly Command[]) => new Set(commands.map((c) => c.id)).size

test('when two processor processes share the assets and one is SIGKILLed mid-stream, then every book had one writer at a time and ends as the engine alone makes it', async (t) => {
  const sut = await serviceUnderTest(t, { name: 'order-processor', outputs: OUTPUTS, group: ENGINE_GROUP })
  await sut.bus.ensureTopic('engine.commands', { partitions: PARTITIONS })
  const busDb = createDb({ url: sut.busUrl })
  sut.after(() => busDb.close())

  // Members split the partitions by parity (two members, partitions in order): two assets on
  // even partitions and two on odd ones, so each process has books of its own.
  const tickers = ['THYAO', 'GARAN', 'ASELS', 'AKBNK', 'EREGL', 'KCHOL', 'SISE', 'TUPRS', 'BIMAS', 'SAHOL', 'YKBNK', 'PETKM']
  const even = tickers.filter((a) => partitionFor(a, PARTITIONS) % 2 === 0).slice(0, 2)
  const odd = tickers.filter((a) => partitionFor(a, PARTITIONS) % 2 === 1).slice(0, 2)
  assert.equal(even.length + odd.length, 4)
  const commands = commandStream(SEED, { assets: [...even, ...odd], crossing: [even[0]!, odd[0]!], count: 3000 })
  const expected = model(commands)
  const total = expected.distinctCommands.size
  const phases = [commands.slice(0, 600), commands.slice(600, 2400), commands.slice(2400)]
  const logDir = await processorLogDir()

  // The first process alone applies the first part: it holds every book in memory.
  const first = await startProcessor(sut, logDir)
  await publishAll(sut, phases[0]!)
  await caughtUp(sut, distinct(phases[0]!))

  // A second one joins: the partitions are split between the two.
  const second = await startProcessor(sut, logDir)
  await eventually(
    async () => {
      const { rows } = await busDb.query<{ held: number }>(
        `SELECT (SELECT count(*) FROM pg_locks l WHERE l.pid = m.pid AND l.locktype = 'advisory' AND l.granted)::int AS held
         FROM bus_members m WHERE m.group_id = $1`,
        [ENGINE_GROUP],
      )
      return rows.length === 2 && rows.every((r) => r.held === PARTITIONS / 2)
    },
    { what: 'the two processes to hold half the partitions each' },
  )

  // Both apply the second part; the second one dies at a random point of it, and the first
  // takes its books back, whose copies in its memory are now stale.
  const publishing = publishAll(sut, phases[1]!)
  const before = await handledBy(second)
  const handled = 20 + Math.floor(seededRandom(SEED + 1)() * 100)
  await eventually(async () => (await handledBy(second)) - before >= handled, { what: `the second process to apply ${handled} commands` })
  await kill(second)
  const appliedAtKill = await appliedCount(sut)
  assert.ok(appliedAtKill < distinct(commands.slice(0, 2400)), `the kill came mid-stream (${appliedAtKill} applied)`)
  await publishing
  await publishAll(sut, phases[2]!)
  await caughtUp(sut, total)

  assert.ok((await handledBy(first)) > 0)
  // Every command locked its book once in a committed transaction (the version), and was applied once (the inbox).
  await assertBooksMatch(sut, expected)
  await assertPublishedMatch(sut, expected)
})
