import { test } from 'node:test'
import assert from 'node:assert/strict'
import { eventually, seededRandom, serviceUnderTest } from '@brokerage/platform/testing'
import {
  appliedCount,
  assertBooksMatch,
  assertPublishedMatch,
  caughtUp,
  commandStream,
  ENGINE_GROUP,
  kill,
  model,
  modelOfApplied,
  OUTPUTS,
  processorLogDir,
  publishAll,
  startProcessor,
} from './fixtures/processor.js'

const SEED = 20250501

test('when the processor is SIGKILLed at random moments while commands flow and restarted each time, then its books and trades are what the engine alone makes of the same commands', async (t) => {
  const sut = await serviceUnderTest(t, { name: 'order-processor', outputs: OUTPUTS, group: ENGINE_GROUP })
  await sut.bus.ensureTopic('engine.commands')
  const commands = commandStream(SEED, { assets: ['THYAO', 'GARAN', 'ASELS'], crossing: ['THYAO'], count: 2400 })
  const expected = model(commands)
  const total = expected.distinctCommands.size
  const logDir = await processorLogDir()

  let processor = await startProcessor(sut, logDir)
  const publishing = publishAll(sut, commands)
  // Kill points spread over the first 60% of the stream, each moved at random by up to ±4% of
  // it: a restarted process races through its backlog, and the last kill must still land mid-stream.
  const random = seededRandom(SEED + 1)
  const points = [0.1, 0.25, 0.4, 0.55].map((f) => Math.floor((f + (random() - 0.5) * 0.08) * total))
  const killedAt: number[] = []
  for (const point of points) {
    await eventually(async () => (await appliedCount(sut)) >= point, { what: `${point} commands applied`, timeoutMs: 60_000 })
    await kill(processor)
    // What was committed when it died is the whole state: it must be the model of exactly those commands.
    const applied = await modelOfApplied(sut, commands)
    killedAt.push(applied.distinctCommands.size)
    await assertBooksMatch(sut, applied)
    processor = await startProcessor(sut, logDir)
  }
  await publishing
  await caughtUp(sut, total)

  assert.ok(
    killedAt.every((n) => n < total),
    `every kill came mid-stream (at ${killedAt.join(', ')} of ${total})`,
  )
  await assertBooksMatch(sut, expected)
  await assertPublishedMatch(sut, expected)
})
