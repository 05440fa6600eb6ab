import { test, type TestContext } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createCollector } from '../src/testing.js'
import { eachMessage, PermanentError, DLQ_HEADERS } from '../src/messaging/retry.js'
import { findDeadLetter, listDeadLetters, replayAll } from '../src/messaging/dlq.js'
import { dlqTopicOf, type Batch, type Message, type MessageBus } from '../src/messaging/port.js'

export type ContractBus = MessageBus

/** Faults an adapter can inject; a test that needs one runs only where the adapter provides it. */
export interface ContractFaults {
  /**
   * Cuts the group's running members off the broker, as a network partition would: the
   * broker frees their partitions for others while their processes keep running.
   */
  severMembers?(bus: ContractBus, groupId: string): Promise<void>
}

const FAST_RETRY = { attempts: 3, initialDelayMs: 5, maxDelayMs: 20 }

const rec = (topic: string, key: string, value: string) => ({ topic, key, value: Buffer.from(value) })
const text = (m: Message) => m.value.toString()
const never = new Promise<void>(() => {})

/**
 * The broker contract: every adapter of the messaging port must pass it unchanged.
 * `makeBus` gives a fresh bus per test; several buses from one factory call share the
 * broker (as processes sharing one Kafka cluster would).
 */
export function brokerContract(
  name: string,
  makeBus: (t: TestContext) => Promise<() => Promise<ContractBus>>,
  faults: ContractFaults = {},
) {
  const setup = async (t: TestContext) => {
    const connect = await makeBus(t)
    const opened: ContractBus[] = []
    const bus = async () => {
      const b = await connect()
      opened.push(b)
      return b
    }
    t.after(async () => {
      for (const b of opened.reverse()) await b.close().catch(() => {})
    })
    return { bus, topic: `t-${randomUUID()}`, group: `g-${randomUUID()}` }
  }

  test(`${name}: when records of many keys are published, then every key's records arrive once each, in publish order`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 4 })
    const got = createCollector<Message>()
    for (let i = 0; i < 2; i++) {
      await (await bus()).consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => got.push(m)) })
    }
    const keys = Array.from({ length: 12 }, (_, i) => `key-${i}`)
    const sent = new Map<string, string[]>(keys.map((k) => [k, []]))
    for (let round = 0; round < 25; round++) {
      const batch = keys.map((k) => {
        const v = `${k}:${round}`
        sent.get(k)!.push(v)
        return rec(topic, k, v)
      })
      await producer.publish(batch)
    }
    await got.until((items) => items.length >= 300, { what: '300 messages' })
    for (const k of keys) assert.deepEqual(got.items.filter((m) => m.key === k).map(text), sent.get(k), `order of ${k}`)
    const partitionsOfKey = new Map<string, Set<number>>()
    for (const m of got.items) partitionsOfKey.set(m.key, (partitionsOfKey.get(m.key) ?? new Set()).add(m.partition))
    for (const [k, ps] of partitionsOfKey) assert.equal(ps.size, 1, `${k} stays on one partition`)
  })

  test(`${name}: when a member crashes before committing, then another member gets the uncommitted messages again and the committed ones never`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 1 })
    const first = createCollector<string>()
    const a = await (
      await bus()
    ).consume({
      groupId: group,
      topics: [topic],
      handleBatch: async (b: Batch) => {
        for (const m of b.messages) {
          if (text(m) === 'crash-here') {
            first.push(text(m))
            await never // the process "hangs" here and then dies, before committing
          }
          first.push(text(m))
        }
      },
    })
    await producer.publish(['c0', 'c1', 'c2'].map((v) => rec(topic, 'k', v)))
    await first.until((i) => i.length === 3, { what: 'committed batch' })
    // Wait until the group committed what it handled, so only later messages are in doubt.
    await waitForLag(producer, group, topic, 0)
    await producer.publish(['u0', 'crash-here', 'u2'].map((v) => rec(topic, 'k', v)))
    await first.until((i) => i.includes('crash-here'), { what: 'the crashing message' })
    a.kill()
    const second = createCollector<string>()
    await (
      await bus()
    ).consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => second.push(text(m))) })
    await second.until((i) => i.length >= 3, { what: 'redelivery' })
    assert.deepEqual(second.items, ['u0', 'crash-here', 'u2'])
  })

  test(`${name}: when a member joins, then partitions are split without overlap; when it dies, then the survivor takes them all`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 4 })
    const inFlight = new Set<number>()
    let overlaps = 0
    const got = createCollector<string>()
    const handleBatch = async (b: { partition: number; messages: Message[] }) => {
      if (inFlight.has(b.partition)) overlaps++
      inFlight.add(b.partition)
      await Promise.resolve()
      for (const m of b.messages) got.push(text(m))
      inFlight.delete(b.partition)
    }
    const a = await (await bus()).consume({ groupId: group, topics: [topic], handleBatch })
    await a.ready()
    await waitFor(() => a.assignments().length === 4, 'a owns all partitions')
    const b = await (await bus()).consume({ groupId: group, topics: [topic], handleBatch })
    await waitFor(() => a.assignments().length === 2 && b.assignments().length === 2, 'an even split')
    const owned = [...a.assignments(), ...b.assignments()].map((x) => x.partition).sort()
    assert.deepEqual(owned, [0, 1, 2, 3])
    await producer.publish(Array.from({ length: 40 }, (_, i) => rec(topic, `k${i}`, `m${i}`)))
    await got.until((i) => i.length >= 40, { what: '40 messages across both members' })
    b.kill()
    await waitFor(() => a.assignments().length === 4, 'the survivor owns all partitions')
    await producer.publish(Array.from({ length: 40 }, (_, i) => rec(topic, `k${i}`, `n${i}`)))
    await got.until((i) => i.filter((v) => v.startsWith('n')).length >= 40, { what: 'messages after the death' })
    assert.equal(new Set(got.items.filter((v) => v.startsWith('n'))).size, 40)
    assert.equal(overlaps, 0, 'no partition was handled by two members at once')
  })

  test(`${name}: when members of one group read different topics, then every partition of each topic is read by a member that reads it`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const other = `${topic}-b`
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 4 })
    await producer.ensureTopic(other, { partitions: 4 })
    const got = createCollector<Message>()
    const handleBatch = async (b: Batch) => b.messages.forEach((m) => got.push(m))
    // As in a rolling deploy where the new version also reads `other`, or two dead-letter replays of different topics.
    const a = await (await bus()).consume({ groupId: group, topics: [topic], handleBatch })
    const b = await (await bus()).consume({ groupId: group, topics: [topic, other], handleBatch })
    await a.ready()
    await b.ready()
    await producer.publish(Array.from({ length: 40 }, (_, i) => rec(i % 2 ? other : topic, `k${i}`, `m${i}`)))
    await got.until((i) => i.length >= 40, { what: 'the records of both topics' })
    assert.equal(new Set(got.items.map(text)).size, 40)
  })

  test(`${name}: when a message keeps failing, then it goes to the DLQ after bounded retries with its error, and the partition keeps flowing`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const b = await bus()
    await b.ensureTopic(topic, { partitions: 1 })
    const attempts = createCollector<string>()
    const ok = createCollector<string>()
    const consumerBus = await bus()
    await consumerBus.consume({
      groupId: group,
      topics: [topic],
      handleBatch: eachMessage(
        async (m) => {
          attempts.push(text(m))
          if (text(m) === 'poison') throw Object.assign(new Error('cannot digest poison'), { code: 'TEST_FAILURE' })
          ok.push(text(m))
        },
        { bus: consumerBus, groupId: group, policy: FAST_RETRY },
      ),
    })
    await b.publish(['a', 'poison', 'b'].map((v) => rec(topic, 'same-key', v)))
    await ok.until((i) => i.includes('b'), { what: 'the message after the poison' })
    assert.deepEqual(ok.items, ['a', 'b'])
    assert.equal(attempts.items.filter((v) => v === 'poison').length, FAST_RETRY.attempts)
    const dead = await listDeadLetters(b, { topic })
    assert.equal(dead.length, 1)
    const dl = dead[0]!
    assert.equal(dl.dlqTopic, dlqTopicOf(topic))
    assert.equal(dl.message.value.toString(), 'poison')
    assert.equal(dl.key, 'same-key')
    assert.equal(dl.originalTopic, topic)
    assert.equal(dl.originalOffset, 1)
    assert.equal(dl.attempts, FAST_RETRY.attempts)
    assert.equal(dl.errorCode, 'TEST_FAILURE')
    assert.match(dl.error, /cannot digest poison/)
    assert.equal(dl.message.headers[DLQ_HEADERS.group], group)
  })

  test(`${name}: when a dead letter is replayed, then the consumer gets it again, and a second replay replays nothing`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const b = await bus()
    await b.ensureTopic(topic, { partitions: 2 })
    let healed = false
    const ok = createCollector<string>()
    await b.consume({
      groupId: group,
      topics: [topic],
      handleBatch: eachMessage(
        async (m) => {
          if (text(m) === 'poison' && !healed) throw new PermanentError('not yet')
          ok.push(text(m))
        },
        { bus: b, groupId: group, policy: FAST_RETRY },
      ),
    })
    await b.publish([rec(topic, 'k1', 'poison'), rec(topic, 'k1', 'after')])
    await ok.until((i) => i.includes('after'))
    const dead = await listDeadLetters(b, { topic })
    assert.equal(dead.length, 1)
    assert.equal(dead[0]!.attempts, 1, 'a permanent error is not retried')
    assert.equal(dead[0]!.replayed, false)
    healed = true
    assert.equal(await replayAll(b, dlqTopicOf(topic)), 1)
    await ok.until((i) => i.includes('poison'), { what: 'the replayed message' })
    assert.equal(await replayAll(b, dlqTopicOf(topic)), 0)
    const after = await listDeadLetters(b, { topic })
    assert.equal(after[0]!.replayed, true)
  })

  test(`${name}: when a dead-letter partition holds more than a page, then every dead letter is listed and each is found at its offset`, async (t) => {
    const { bus, topic } = await setup(t)
    const dlq = dlqTopicOf(topic)
    const b = await bus()
    await b.ensureTopic(dlq, { partitions: 1 })
    const n = 1_003
    for (let i = 0; i < n; i += 500) await b.publish(Array.from({ length: Math.min(500, n - i) }, (_, j) => rec(dlq, 'k', `dead-${i + j}`)))
    const all = await listDeadLetters(b, { topic })
    assert.equal(all.length, n)
    assert.deepEqual(
      all.map((d) => d.offset),
      Array.from({ length: n }, (_, i) => i),
    )
    const last = await findDeadLetter(b, dlq, 0, n - 1)
    assert.equal(last && text(last.message), `dead-${n - 1}`)
    assert.equal((await findDeadLetter(b, topic, 0, 1_001))?.offset, 1_001)
    assert.equal(await findDeadLetter(b, dlq, 0, n), null)
    assert.equal(await findDeadLetter(b, dlq, 1, 0), null)
  })

  test(`${name}: when two replays of one dead-letter topic overlap, then both finish and each dead letter is replayed once`, async (t) => {
    const { bus, topic } = await setup(t)
    const dlq = dlqTopicOf(topic)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 2 })
    await producer.ensureTopic(dlq, { partitions: 2 })
    await producer.publish(Array.from({ length: 6 }, (_, i) => rec(dlq, `k${i}`, `dead-${i}`)))
    const replayed = createCollector<string>()
    await producer.consume({
      groupId: `${topic}-readers`,
      topics: [topic],
      handleBatch: async (b) => b.messages.forEach((m) => replayed.push(text(m))),
    })
    // The first replay is held in its first republish until the second has seen what is left to replay and joins.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    const [busA, busB] = [await bus(), await bus()]
    const first: MessageBus = { ...busA, publish: async (records) => held.then(() => busA.publish(records)) }
    const second: MessageBus = { ...busB, consume: (o) => (release(), busB.consume(o)) }
    const counts: number[] = []
    void replayAll(first, dlq).then((n) => counts.push(n))
    void replayAll(second, dlq).then((n) => counts.push(n))
    await waitFor(() => counts.length === 2, 'both replays to finish')
    assert.equal(counts[0]! + counts[1]!, 6, 'each dead letter replayed by one of them')
    await replayed.until((i) => i.length >= 6, { what: 'the replayed messages' })
    assert.equal(new Set(replayed.items).size, 6)
  })

  test(`${name}: when a member stops and the group restarts, then it resumes from the committed offset; a new group can start from the latest`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const b = await bus()
    await b.ensureTopic(topic, { partitions: 2 })
    await b.publish(['x1', 'x2', 'x3'].map((v) => rec(topic, v, v)))
    const one = createCollector<string>()
    const c1 = await b.consume({
      groupId: group,
      topics: [topic],
      handleBatch: async (bt) => bt.messages.forEach((m) => one.push(text(m))),
    })
    await one.until((i) => i.length === 3)
    await c1.stop()
    const lag = await b.lag(group, [topic])
    assert.equal(
      lag.reduce((s, p) => s + p.lag, 0),
      0,
    )
    assert.equal(
      lag.reduce((s, p) => s + p.endOffset, 0),
      3,
    )
    await b.publish([rec(topic, 'x4', 'x4')])
    const two = createCollector<string>()
    await b.consume({ groupId: group, topics: [topic], handleBatch: async (bt) => bt.messages.forEach((m) => two.push(text(m))) })
    const late = createCollector<string>()
    const lc = await b.consume({
      groupId: `${group}-late`,
      topics: [topic],
      startFrom: 'latest',
      handleBatch: async (bt) => bt.messages.forEach((m) => late.push(text(m))),
    })
    await two.until((i) => i.length === 1)
    assert.deepEqual(two.items, ['x4'])
    await lc.ready()
    await b.publish([rec(topic, 'x5', 'x5')])
    await late.until((i) => i.length === 1)
    assert.deepEqual(late.items, ['x5'])
    await two.until((i) => i.length === 2)
  })

  test(`${name}: when a group with no members left is deleted, then its offsets are gone and a member of that name reads from the start again`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const b = await bus()
    await b.ensureTopic(topic, { partitions: 2 })
    await b.publish(['d1', 'd2', 'd3'].map((v) => rec(topic, v, v)))
    const first = createCollector<string>()
    const c1 = await b.consume({
      groupId: group,
      topics: [topic],
      handleBatch: async (bt) => bt.messages.forEach((m) => first.push(text(m))),
    })
    await first.until((i) => i.length === 3)
    await c1.stop()
    assert.equal(
      (await b.lag(group, [topic])).reduce((s, p) => s + p.committed, 0),
      3,
    )

    await b.deleteGroup(group)
    assert.deepEqual(
      (await b.lag(group, [topic])).map((p) => p.committed),
      [0, 0],
    )
    const again = createCollector<string>()
    const c2 = await b.consume({
      groupId: group,
      topics: [topic],
      handleBatch: async (bt) => bt.messages.forEach((m) => again.push(text(m))),
    })
    await again.until((i) => i.length === 3)
    assert.deepEqual([...again.items].sort(), ['d1', 'd2', 'd3'])
    await c2.stop()
    await b.deleteGroup(`${group}-never-existed`)
  })

  test(`${name}: when a member is stopped while its batches are in flight, then everything it handled is committed and a restart redelivers nothing`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 4 })
    await producer.publish(Array.from({ length: 40 }, (_, i) => rec(topic, `k${i}`, `m${i}`)))
    const got = createCollector<string>()
    let stopping: Promise<void> | undefined
    const c: { consumer?: Awaited<ReturnType<ContractBus['consume']>> } = {}
    c.consumer = await (
      await bus()
    ).consume({
      groupId: group,
      topics: [topic],
      handleBatch: async (b) => {
        b.messages.forEach((m) => got.push(text(m)))
        // Stop begins while this batch (and maybe others) still runs: their offsets must still be committed.
        if (got.items.length >= 40) stopping ??= c.consumer!.stop()
      },
    })
    await got.until((i) => i.length >= 40, { what: '40 messages' })
    await stopping
    const lag = await producer.lag(group, [topic])
    assert.equal(
      lag.reduce((s, p) => s + p.lag, 0),
      0,
      'nothing left uncommitted after a clean stop',
    )
    const again = createCollector<string>()
    const next = await (
      await bus()
    ).consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => again.push(text(m))) })
    await next.ready()
    await producer.publish([rec(topic, 'k0', 'after')])
    await again.until((i) => i.includes('after'))
    assert.deepEqual(again.items, ['after'])
  })

  test(`${name}: when partitions move to a joining member mid-stream, then what the old owner handled is not delivered again`, async (t) => {
    const { bus, topic, group } = await setup(t)
    const producer = await bus()
    await producer.ensureTopic(topic, { partitions: 4 })
    const got = createCollector<string>()
    const handleBatch = async (b: Batch) => b.messages.forEach((m) => got.push(text(m)))
    const a = await (await bus()).consume({ groupId: group, topics: [topic], handleBatch, maxBatchSize: 5 })
    await a.ready()
    await producer.publish(Array.from({ length: 200 }, (_, i) => rec(topic, `k${i}`, `m${i}`)))
    await got.until((i) => i.length >= 1, { what: 'the first member under way' })
    const b = await (await bus()).consume({ groupId: group, topics: [topic], handleBatch, maxBatchSize: 5 })
    await waitFor(() => a.assignments().length === 2 && b.assignments().length === 2, 'an even split')
    await got.until((i) => new Set(i).size >= 200, { what: 'all 200 messages' })
    await waitForLag(producer, group, topic, 0)
    assert.equal(got.items.length, 200, 'each message handled once across the handover')
  })

  const { severMembers } = faults
  if (severMembers)
    test(`${name}: when a member cut off mid-batch commits after its successor, then the committed offset does not move back`, async (t) => {
      const { bus, topic, group } = await setup(t)
      const producer = await bus()
      await producer.ensureTopic(topic, { partitions: 1 })
      let finishSlow = () => {}
      const slowMayFinish = new Promise<void>((resolve) => (finishSlow = resolve))
      const first = createCollector<string>()
      const a = await (
        await bus()
      ).consume({
        groupId: group,
        topics: [topic],
        handleBatch: async (b) => {
          for (const m of b.messages) {
            first.push(text(m))
            if (text(m) === 'slow') await slowMayFinish
          }
        },
      })
      await producer.publish([rec(topic, 'k', 'slow')])
      await first.until((i) => i.includes('slow'), { what: 'the slow batch' })
      await severMembers(producer, group)
      const second = createCollector<string>()
      await (
        await bus()
      ).consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => second.push(text(m))) })
      await second.until((i) => i.includes('slow'), { what: 'the successor to take the partition over' })
      await producer.publish(['n1', 'n2'].map((v) => rec(topic, 'k', v)))
      await second.until((i) => i.includes('n2'), { what: 'the successor to handle newer messages' })
      await waitForLag(producer, group, topic, 0)
      // The cut-off member finishes its old batch and commits its (older) offset on the way out.
      finishSlow()
      await a.stop()
      const [p] = await producer.lag(group, [topic])
      assert.deepEqual({ committed: p!.committed, lag: p!.lag }, { committed: 3, lag: 0 })
    })

  if (severMembers)
    test(`${name}: when the group's only member is cut off from the broker, then it joins again and goes on consuming`, async (t) => {
      // Found by `npm run chaos` (seed 11): after pg_terminate_backend no member was left to
      // sweep the cut-off one's row, so its own rejoin collided with it and it consumed nothing more.
      const { bus, topic, group } = await setup(t)
      const producer = await bus()
      await producer.ensureTopic(topic, { partitions: 2 })
      const got = createCollector<string>()
      const member = await (
        await bus()
      ).consume({ groupId: group, topics: [topic], handleBatch: async (b) => b.messages.forEach((m) => got.push(text(m))) })
      await producer.publish([rec(topic, 'k', 'before')])
      await got.until((i) => i.includes('before'), { what: 'the message published before the cut' })
      await severMembers(producer, group)
      await producer.publish([rec(topic, 'k', 'after')])
      await got.until((i) => i.includes('after'), { what: 'the member to join again and consume', timeoutMs: 30_000 })
      await member.stop()
    })

  test(`${name}: when a topic is ensured twice, then it keeps its partitions and is listed`, async (t) => {
    const { bus, topic } = await setup(t)
    const b = await bus()
    await b.ensureTopic(topic, { partitions: 3 })
    await b.ensureTopic(topic, { partitions: 5 })
    assert.equal(await b.partitionsOf(topic), 3)
    assert.ok((await b.listTopics()).includes(topic))
    await b.ping()
  })
}

async function waitForLag(bus: MessageBus, group: string, topic: string, lag: number) {
  await waitFor(async () => (await bus.lag(group, [topic])).reduce((s, p) => s + p.lag, 0) === lag, `lag ${lag}`)
}

/** Waits for a state the bus reaches on its own (ownership, committed offsets): checked as the bus moves, bounded in time. */
async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000) {
  const { eventually } = await import('../src/testing.js')
  await eventually(async () => (await check()) || undefined, { timeoutMs, what })
}
