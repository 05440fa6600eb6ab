import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from './observability/log.js'
import { createSweeper } from './sweeper.js'

// A fake `expire` over a number of expired items, taking up to `limit` a call.
function expiring(count: number) {
  let left = count
  const calls: number[] = []
  return {
    calls,
    expire: async (_cutoff: Date, limit: number) => {
      const n = Math.min(left, limit)
      left -= n
      calls.push(n)
      return n
    },
    left: () => left,
  }
}

const sweeperOver = (expire: (cutoff: Date, limit: number) => Promise<number>) =>
  createSweeper({
    expire,
    now: () => new Date('2025-01-31T09:30:00Z'),
    timeoutMs: 30_000,
    intervalMs: 0,
    batchSize: 10,
    log: createLogger({ service: 'test', level: 'silent' }),
    what: 'expired test items',
  })

test('when more items have expired than one batch holds, then one sweep takes batch after batch until none is left', async () => {
  const items = expiring(25)
  assert.equal(await sweeperOver(items.expire).sweep(), 25)
  assert.deepEqual(items.calls, [10, 10, 5])
  assert.equal(items.left(), 0)
})

test('when the expired items fill whole batches exactly, then the sweep asks once more and stops on the empty one', async () => {
  const items = expiring(20)
  assert.equal(await sweeperOver(items.expire).sweep(), 20)
  assert.deepEqual(items.calls, [10, 10, 0])
})

test('when nothing has expired, then a sweep asks once and takes nothing', async () => {
  const items = expiring(0)
  assert.equal(await sweeperOver(items.expire).sweep(), 0)
  assert.deepEqual(items.calls, [0])
})

test('when the items older than the timeout are asked for, then the cutoff is now minus the timeout', async () => {
  const cutoffs: Date[] = []
  await sweeperOver(async (cutoff) => (cutoffs.push(cutoff), 0)).sweep()
  assert.deepEqual(cutoffs, [new Date('2025-01-31T09:29:30Z')])
})
