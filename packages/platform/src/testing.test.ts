import assert from 'node:assert/strict'
import { test } from 'node:test'
import { teardown, type AfterHook } from './testing.js'

/** A stand-in test context that keeps its after-hooks, so the test can run them itself. */
function context() {
  const hooks: Array<() => unknown> = []
  const t: AfterHook = { after: (fn) => void hooks.push(fn) }
  return { t, hooks, run: async () => void (await Promise.all(hooks.map((h) => h()))) }
}

test('when a test ends, then what was set up last is torn down first, through one after-hook of the test', async () => {
  const { t, hooks, run } = context()
  const order: string[] = []
  teardown(t).after(() => void order.push('drop database'))
  teardown(t).after(() => void order.push('close client'))
  teardown(teardown(t)).after(() => void order.push('stop service'))
  assert.equal(hooks.length, 1)
  await run()
  assert.deepEqual(order, ['stop service', 'close client', 'drop database'])
})

test('when one teardown step fails, then the others still run and the first failure is reported', async () => {
  const { t, run } = context()
  const order: string[] = []
  teardown(t).after(() => void order.push('drop database'))
  teardown(t).after(() => {
    throw new Error('stop failed')
  })
  teardown(t).after(() => {
    throw new Error('close failed')
  })
  await assert.rejects(run(), /close failed/)
  assert.deepEqual(order, ['drop database'])
})
