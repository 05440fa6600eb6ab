import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { createCollector } from '../testing.js'
import { assignRoundRobin, startGroupConsumer, type GroupBackend } from './group-consumer.js'
import type { Assignment, Message } from './port.js'

type Offsets = Array<Assignment & { offset: number }>

/**
 * A backend that owns four partitions of topic `t` alone and records what the loop asks of
 * it, so a test sees every fetch and commit. Polls and rebalances are an hour apart: only
 * wake-ups move the loop.
 */
function fakeBackend(
  t: TestContext,
  o: {
    lingerMs?: number
    together?: (batches: string[][]) => boolean
    fetchCommits?: boolean
    commitIntervalMs?: number
    commitWithFetchAfterMs?: number
  } = {},
) {
  const logs: Message[][] = [[], [], [], []]
  const fetches = createCollector<number[]>()
  const commits = createCollector<Offsets>()
  const commitsStarted = createCollector<Offsets>()
  const fetchCommits = createCollector<Offsets>()
  let commitGate: Promise<void> = Promise.resolve()
  let wakeFn: (reason: 'data' | 'group', partitions?: Assignment[]) => void = () => {}
  const backend: GroupBackend = {
    async join() {},
    async rejoin() {},
    async desiredAssignment() {
      return logs.map((_, partition) => ({ topic: 't', partition }))
    },
    async acquire() {
      return true
    },
    async release() {},
    async committed() {
      return new Map()
    },
    async endOffsets() {
      return new Map()
    },
    async fetch(positions, max) {
      fetches.push(positions.map((p) => p.partition))
      return positions.flatMap((p) => logs[p.partition]!.slice(p.offset, p.offset + max))
    },
    async commit(offsets) {
      commitsStarted.push(offsets)
      await commitGate
      commits.push(offsets)
    },
    ...(o.fetchCommits
      ? {
          async fetchAndCommit(positions: Offsets, max: number, offsets: Offsets) {
            fetchCommits.push(offsets)
            return backend.fetch(positions, max)
          },
        }
      : {}),
    onWake(fn) {
      wakeFn = fn
    },
    async leave() {},
    kill() {},
  }
  const append = (partition: number, value: string) => {
    const log = logs[partition]!
    log.push({ topic: 't', partition, offset: log.length, key: value, value: Buffer.from(value), headers: {}, timestamp: new Date() })
  }
  const handled = createCollector<string>()
  const batches = createCollector<string[]>()
  const calls = createCollector<string[][]>()
  const together = o.together
  const consumer = startGroupConsumer(backend, {
    groupId: 'g',
    topics: ['t'],
    pollIntervalMs: 3_600_000,
    rebalanceIntervalMs: 3_600_000,
    lingerMs: o.lingerMs,
    commitIntervalMs: o.commitIntervalMs,
    commitWithFetchAfterMs: o.commitWithFetchAfterMs,
    handleBatch: async (b) => {
      batches.push(b.messages.map((m) => m.value.toString()))
      b.messages.forEach((m) => handled.push(m.value.toString()))
    },
    handleBatches: together
      ? async (bs) => {
          const values = bs.map((b) => b.messages.map((m) => m.value.toString()))
          calls.push(values)
          if (!together(values)) return false
          values.flat().forEach((v) => handled.push(v))
          return true
        }
      : undefined,
  })
  t.after(() => consumer.stop())
  return {
    consumer,
    fetches,
    commits,
    commitsStarted,
    fetchCommits,
    handled,
    batches,
    calls,
    append,
    wake: (partitions?: number[]) =>
      wakeFn(
        'data',
        partitions?.map((partition) => ({ topic: 't', partition })),
      ),
    holdCommits() {
      let open = () => {}
      commitGate = new Promise<void>((r) => (open = r))
      return open
    },
  }
}

test('when a wake-up names one partition, then only that partition is fetched, and a finished batch fetches nothing more', async (t) => {
  const f = fakeBackend(t)
  await f.consumer.ready()
  // The first fetch after joining reads every partition, once.
  await f.fetches.until((x) => x.length === 1)
  assert.deepEqual(f.fetches.items[0], [0, 1, 2, 3])
  f.append(2, 'a')
  f.wake([2])
  await f.handled.until((x) => x.includes('a'))
  await f.commits.until((x) => x.length === 1)
  f.append(3, 'b')
  f.wake([3])
  await f.handled.until((x) => x.includes('b'))
  await f.commits.until((x) => x.length === 2)
  assert.deepEqual(f.fetches.items.slice(1), [[2], [3]], 'one fetch per wake-up, of the woken partition, and no empty re-fetch')
})

test('when several partitions finish batches within the commit interval, then one commit carries them all', async (t) => {
  const f = fakeBackend(t)
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(0, 'p0')
  f.append(1, 'p1')
  f.append(2, 'p2')
  f.wake([0, 1, 2])
  await f.commits.until((x) => x.flat().length >= 3)
  assert.deepEqual(
    f.commits.items.map((c) => c.map((o) => [o.partition, o.offset])),
    [
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
    ],
  )
})

test('when batches finish while a commit is in flight, then the next commit carries all of them', async (t) => {
  const f = fakeBackend(t)
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  const open = f.holdCommits()
  f.append(0, 'a0')
  f.wake([0])
  await f.commitsStarted.until((x) => x.length === 1)
  f.append(0, 'a1')
  f.append(1, 'b0')
  f.append(2, 'c0')
  f.wake([0, 1, 2])
  await f.handled.until((x) => x.length === 4)
  open()
  await f.commits.until((x) => x.length === 2)
  assert.deepEqual(
    f.commits.items.map((c) => c.map((o) => [o.partition, o.offset])),
    [
      [[0, 1]],
      [
        [0, 2],
        [1, 1],
        [2, 1],
      ],
    ],
  )
})

test('when a wake-up names no partition, then every owned partition is fetched', async (t) => {
  const f = fakeBackend(t)
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(1, 'c')
  f.wake()
  await f.handled.until((x) => x.includes('c'))
  assert.deepEqual(f.fetches.items[1], [0, 1, 2, 3])
})

/** Lets the loop run everything it can without a timer firing: a fake fetch resolves at once. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
}

for (const lingerMs of [0, 2000]) {
  test(`when two records of a partition arrive one after the other under load ${lingerMs ? 'with' : 'without'} a linger, then they come in ${lingerMs ? 'one batch' : 'two batches'}`, async (t) => {
    const f = fakeBackend(t, { lingerMs })
    await f.consumer.ready()
    await f.fetches.until((x) => x.length === 1)
    // The first fetch after joining found nothing: no load yet, so this wake-up is fetched at once.
    f.append(0, 'warm')
    f.wake([0])
    await f.handled.until((x) => x.includes('warm'))
    assert.equal(f.fetches.items.length, 2)
    // That fetch returned a record just now: the next wake-up comes under load.
    f.append(0, 'a')
    f.wake([0])
    await settle()
    f.append(0, 'b')
    f.wake([0])
    if (lingerMs) assert.equal(f.fetches.items.length, 2, 'nothing fetched while lingering')
    await f.handled.until((x) => x.includes('b'))
    assert.deepEqual(f.batches.items.slice(1), lingerMs ? [['a', 'b']] : [['a'], ['b']])
  })
}

test('when records of three partitions come in one fetch, then they go to handleBatches in one call and are committed together', async (t) => {
  const f = fakeBackend(t, { together: () => true })
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(0, 'p0')
  f.append(1, 'p1a')
  f.append(1, 'p1b')
  f.append(3, 'p3')
  f.wake([0, 1, 3])
  await f.commits.until((x) => x.flat().length >= 3)
  assert.deepEqual(f.calls.items, [[['p0'], ['p1a', 'p1b'], ['p3']]])
  assert.deepEqual(f.batches.items, [], 'no partition went through handleBatch')
  assert.deepEqual(
    f.commits.items.flat().map((o) => [o.partition, o.offset]),
    [
      [0, 1],
      [1, 2],
      [3, 1],
    ],
  )
})

test('when handleBatches declines a fetch of several partitions, then each partition goes through handleBatch', async (t) => {
  const f = fakeBackend(t, { together: () => false })
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(0, 'p0')
  f.append(2, 'p2')
  f.wake([0, 2])
  await f.commits.until((x) => x.flat().length >= 2)
  assert.equal(f.calls.items.length, 1)
  assert.deepEqual([...f.batches.items].sort(), [['p0'], ['p2']])
  assert.deepEqual([...f.handled.items].sort(), ['p0', 'p2'])
})

test('when records arrive while handled offsets wait for their commit, then the next fetch carries the commit and none is sent on its own', async (t) => {
  // A commit interval far beyond the test: only a fetch or the stop can commit.
  const f = fakeBackend(t, { fetchCommits: true, commitIntervalMs: 3_600_000, commitWithFetchAfterMs: 0 })
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(0, 'a')
  f.append(1, 'b')
  f.wake([0, 1])
  await f.handled.until((x) => x.length === 2)
  f.append(0, 'c')
  f.wake([0])
  await f.handled.until((x) => x.includes('c'))
  assert.deepEqual(
    f.fetchCommits.items.map((c) => c.map((o) => [o.partition, o.offset])),
    [
      [
        [0, 1],
        [1, 1],
      ],
    ],
  )
  assert.equal(f.commits.items.length, 0, 'no commit of its own while fetches carry them')
  // What the last batch handled has no fetch to ride on: the stop commits it.
  await f.consumer.stop()
  assert.deepEqual(
    f.commits.items.map((c) => c.map((o) => [o.partition, o.offset])),
    [[[0, 2]]],
  )
})

test('when records arrive before handled offsets have waited commitWithFetchAfterMs, then the fetch does not carry them', async (t) => {
  const f = fakeBackend(t, { fetchCommits: true, commitIntervalMs: 3_600_000, commitWithFetchAfterMs: 3_600_000 })
  await f.consumer.ready()
  await f.fetches.until((x) => x.length === 1)
  f.append(0, 'a')
  f.wake([0])
  await f.handled.until((x) => x.length === 1)
  f.append(0, 'b')
  f.wake([0])
  await f.handled.until((x) => x.includes('b'))
  await f.consumer.stop()
  assert.equal(f.fetchCommits.items.length, 0)
  assert.deepEqual(
    f.commits.items.map((c) => c.map((o) => [o.partition, o.offset])),
    [[[0, 2]]],
  )
})

test('when partitions are assigned round-robin, then members split them evenly without overlap', () => {
  const split = assignRoundRobin(
    [
      { id: 'm-b', topics: ['t'] },
      { id: 'm-a', topics: ['t'] },
    ],
    new Map([['t', 4]]),
  )
  assert.deepEqual(split.get('m-a'), [
    { topic: 't', partition: 0 },
    { topic: 't', partition: 2 },
  ])
  assert.deepEqual(split.get('m-b'), [
    { topic: 't', partition: 1 },
    { topic: 't', partition: 3 },
  ])
})

test('when members of a group read different topics, then each partition goes to one member that reads its topic', () => {
  const split = assignRoundRobin(
    [
      { id: 'm-a', topics: ['a'] },
      { id: 'm-b', topics: ['a', 'b'] },
    ],
    new Map([
      ['a', 4],
      ['b', 4],
    ]),
  )
  const owners = (topic: string) =>
    [...split].flatMap(([id, tps]) => tps.filter((tp) => tp.topic === topic).map((tp) => `${tp.partition}:${id}`)).sort()
  assert.deepEqual(owners('b'), ['0:m-b', '1:m-b', '2:m-b', '3:m-b'])
  assert.equal(owners('a').length, 4)
  assert.deepEqual(new Set(owners('a').map((o) => o.split(':')[0])), new Set(['0', '1', '2', '3']))
})

test('when joining the group fails at the start (the broker is briefly away), then the member joins again and consumes', async (t) => {
  let joins = 0
  const record: Message = { topic: 't', partition: 0, offset: 0, key: 'k', value: Buffer.from('a'), headers: {}, timestamp: new Date() }
  const backend: GroupBackend = {
    async join() {
      if (++joins === 1) throw new Error('sorry, too many clients already')
    },
    async rejoin() {
      await backend.join()
    },
    desiredAssignment: async () => [{ topic: 't', partition: 0 }],
    acquire: async () => true,
    release: async () => {},
    committed: async () => new Map(),
    endOffsets: async () => new Map(),
    fetch: async (positions) => (positions[0]!.offset === 0 ? [record] : []),
    commit: async () => {},
    onWake() {},
    leave: async () => {},
    kill() {},
  }
  const handled = createCollector<string>()
  const consumer = startGroupConsumer(backend, {
    groupId: 'g',
    topics: ['t'],
    redeliveryDelayMs: 10,
    handleBatch: async (b) => b.messages.forEach((m) => handled.push(m.value.toString())),
  })
  t.after(() => consumer.stop())
  await handled.until((x) => x.includes('a'), { what: 'the record, after joining again' })
  assert.equal(joins, 2)
})
