import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runChecks } from './health.js'

test('when checks run, then they run concurrently and a synchronous throw is a failure, not a crash', async () => {
  const started: string[] = []
  let releaseA: () => void = () => {}
  const report = await runChecks({
    a: () => {
      started.push('a')
      return new Promise<void>((resolve) => (releaseA = resolve))
    },
    b: async () => {
      started.push('b')
      releaseA() // only possible if b starts while a is still pending
    },
    c: () => {
      throw new Error('misconfigured')
    },
    d: () => Promise.reject('plain string'),
  })
  assert.deepEqual(started, ['a', 'b'])
  assert.deepEqual(report, { status: 'unavailable', checks: { a: 'ok', b: 'ok', c: 'misconfigured', d: 'plain string' } })
})

test('when there are no checks, then the report is ok', async () => {
  assert.deepEqual(await runChecks({}), { status: 'ok', checks: {} })
})
