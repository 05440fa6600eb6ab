import type { Assignment, Batch, ConsumeOptions, Consumer, Message } from './port.js'

/**
 * What an adapter provides so that one consumer loop can run a group member on it:
 * membership, partition ownership, fetching and committing. The loop guarantees that a
 * partition is processed by at most one member at a time (an adapter's `acquire` must
 * be exclusive across processes) and that offsets are committed only after handling.
 */
export interface GroupBackend {
  join(): Promise<void>
  /** After a failure (lost connection): drops ownership and joins the group again. */
  rejoin(): Promise<void>
  /** The partitions this member should own, given the live members of the group. */
  desiredAssignment(): Promise<Assignment[]>
  /** Takes exclusive ownership of a partition; false while another member still holds it. */
  acquire(tp: Assignment): Promise<boolean>
  release(tp: Assignment): Promise<void>
  /** Committed next offsets; a partition missing from the map has none. */
  committed(tps: Assignment[]): Promise<Map<string, number>>
  endOffsets(tps: Assignment[]): Promise<Map<string, number>>
  fetch(positions: Array<Assignment & { offset: number }>, maxPerPartition: number): Promise<Message[]>
  commit(offsets: Array<Assignment & { offset: number }>): Promise<void>
  /**
   * Optional: a fetch that also commits offsets, in one round trip. The loop then sends
   * handled offsets with the next fetch rather than on their own.
   */
  fetchAndCommit?(
    positions: Array<Assignment & { offset: number }>,
    maxPerPartition: number,
    offsets: Array<Assignment & { offset: number }>,
  ): Promise<Message[]>
  /**
   * Registers the callback the backend calls when new data ('data') or a membership change
   * ('group') may be there. A 'data' wake-up names the partitions that got records; without
   * them, any partition may have.
   */
  onWake(fn: (reason: 'data' | 'group', partitions?: Assignment[]) => void): void
  leave(): Promise<void>
  /** Drops out at once, as a crashed process would: nothing more is committed. */
  kill(): void
}

export interface GroupConsumerOptions extends ConsumeOptions {
  rebalanceIntervalMs?: number
  pollIntervalMs?: number
  /**
   * How long a handled offset may wait to be committed with others (default 100 ms). A crash
   * in that window only redelivers what the inboxes absorb; a rebalance or stop commits first.
   * On a backend that commits with a fetch, the first fetch after this long carries them, and
   * only if none comes by twice this long do they go in a commit of their own.
   */
  commitIntervalMs?: number
  /** When a fetch may carry handled offsets, if not after commitIntervalMs (tests). */
  commitWithFetchAfterMs?: number
  onError?: (err: unknown, ctx: { topic: string; partition: number; offset: number }) => void
}

export const tpKey = (tp: Assignment) => `${tp.topic}\u0000${tp.partition}`

/** A live member of a group, as assignment sees it; `topics` null: a member that did not say (read as every topic). */
export interface GroupMember {
  id: string
  topics: readonly string[] | null
}

/**
 * Splits the partitions of a group's topics among its members. Members of one group may read
 * different topics (a rolling deploy that adds a topic, dead-letter replays of two topics at
 * once): each partition goes to a member that reads its topic, or a partition nobody takes is
 * never read. The partitions of all the topics, in one sorted list, go round the members that
 * read them; when every member reads the same topics, partition i goes to member i mod n.
 */
export function assignRoundRobin(members: readonly GroupMember[], partitionsOf: ReadonlyMap<string, number>): Map<string, Assignment[]> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const out = new Map<string, Assignment[]>(sorted.map((m) => [m.id, []]))
  let i = 0
  for (const topic of [...partitionsOf.keys()].sort()) {
    const readers = sorted.filter((m) => !m.topics || m.topics.includes(topic))
    for (let partition = 0; partition < partitionsOf.get(topic)!; partition++, i++)
      if (readers.length) out.get(readers[i % readers.length]!.id)!.push({ topic, partition })
  }
  return out
}

/** The partitions member `self` should own (assignRoundRobin), the topics' partition counts read as needed. */
export async function assignPartitions(
  self: string,
  members: readonly GroupMember[],
  partitionsOf: (topic: string) => number | Promise<number>,
): Promise<Assignment[]> {
  const counts = new Map<string, number>()
  for (const topic of new Set(members.flatMap((m) => m.topics ?? []))) counts.set(topic, await partitionsOf(topic))
  return assignRoundRobin(members, counts).get(self) ?? []
}

interface Owned {
  tp: Assignment
  position: number
  busy: Promise<void> | null
  pausedUntil: number
}

export function startGroupConsumer(backend: GroupBackend, opts: GroupConsumerOptions): Consumer {
  const maxBatch = opts.maxBatchSize ?? 200
  const redeliveryDelayMs = opts.redeliveryDelayMs ?? 500
  const rebalanceIntervalMs = opts.rebalanceIntervalMs ?? 500
  const pollIntervalMs = opts.pollIntervalMs ?? 1000
  const commitIntervalMs = opts.commitIntervalMs ?? 100
  const commitWithFetchAfterMs = opts.commitWithFetchAfterMs ?? commitIntervalMs
  // Commits as rare as the interval makes them, and under load a fetch comes first and carries them.
  const commitTimerMs = backend.fetchAndCommit ? 2 * commitIntervalMs : commitIntervalMs
  const lingerMs = opts.lingerMs ?? 0
  // When the last fetch that returned records started; a wake-up soon after it means load.
  let lastRecordsAt = -Infinity
  // Partitions left with a full batch: more is certainly there, so they are fetched without lingering.
  const full = new Set<string>()
  const owned = new Map<string, Owned>()
  let running = true
  let killed = false
  let balanced = false
  let nextRebalanceAt = 0
  let nextPollAt = 0
  let wakeLocal: (() => void) | null = null
  const readyWaiters: Array<() => void> = []
  // Partitions that may have records past their position: announced by a wake-up, left
  // with a full batch, newly acquired or due for redelivery. Only these are fetched between
  // the periodic polls, so a wake-up for one partition does not fetch every partition.
  const due = new Set<string>()

  // A wake-up that arrives while the loop is busy is remembered, so it is never lost.
  let wakePending = false
  const wake = () => {
    const w = wakeLocal
    wakeLocal = null
    if (w) w()
    else wakePending = true
  }

  // Offset commits run one at a time, at most every commitIntervalMs; whatever is resolved
  // meanwhile (other partitions, later batches) goes in the next one, so a commit costs one
  // statement however many partitions and batches it carries. Offsets are queued once handled.
  const toCommit = new Map<string, Assignment & { offset: number }>()
  let committing: Promise<void> | null = null
  let commitTimer: NodeJS.Timeout | null = null
  let commitError: unknown = null
  const scheduleCommit = () => {
    if (committing || commitTimer || !toCommit.size || killed) return
    commitTimer = setTimeout(() => {
      commitTimer = null
      committing = commitQueued()
    }, commitTimerMs)
    commitTimer.unref()
  }
  // When the oldest offset in toCommit was queued (-Infinity: offsets a failed commit gave back).
  let queuedAt = Infinity
  const queueCommit = (tp: Assignment, offset: number) => {
    const key = tpKey(tp)
    if (!toCommit.size) queuedAt = Date.now()
    if ((toCommit.get(key)?.offset ?? -1) < offset) toCommit.set(key, { topic: tp.topic, partition: tp.partition, offset })
    scheduleCommit()
  }
  // In one order, so that statements committing overlapping partitions lock their rows alike.
  const sortedQueue = () =>
    [...toCommit.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
  /** Everything queued, for one commit; the timer goes, as this commit carries what it was for. */
  const takeQueued = () => {
    const offsets = sortedQueue()
    toCommit.clear()
    if (commitTimer) clearTimeout(commitTimer)
    commitTimer = null
    return offsets
  }
  /** Offsets whose commit failed, kept for the next attempt unless a newer offset of the partition came meanwhile. */
  const requeue = (offsets: Array<Assignment & { offset: number }>) => {
    for (const c of offsets) if ((toCommit.get(tpKey(c))?.offset ?? -1) < c.offset) toCommit.set(tpKey(c), c)
    queuedAt = -Infinity
  }
  async function commitQueued() {
    const offsets = sortedQueue()
    toCommit.clear()
    try {
      if (offsets.length && !killed) await backend.commit(offsets)
      commitError = null
    } catch (err) {
      requeue(offsets)
      commitError = err
      opts.onError?.(err, { topic: '', partition: -1, offset: -1 })
    } finally {
      committing = null
      // What was resolved during this commit goes in the next one.
      scheduleCommit()
    }
  }
  /** Commits everything resolved so far; throws when some of it could not be committed. */
  async function flushCommits() {
    while (committing) await committing
    if (commitTimer) clearTimeout(commitTimer)
    commitTimer = null
    if (toCommit.size && !killed) await (committing = commitQueued())
    if (commitTimer) clearTimeout(commitTimer)
    commitTimer = null
    if (toCommit.size && !killed) throw commitError ?? new Error('offsets left uncommitted')
  }

  async function rebalance() {
    const desired = await backend.desiredAssignment()
    const desiredKeys = new Set(desired.map(tpKey))
    for (const [key, o] of owned) {
      if (desiredKeys.has(key)) continue
      await o.busy
      owned.delete(key)
      full.delete(key)
      // What was handled is committed before another member may take the partition over.
      if (!killed) {
        await flushCommits()
        await backend.release(o.tp)
      }
    }
    const wanted = desired.filter((tp) => !owned.has(tpKey(tp)))
    const acquired: Assignment[] = []
    for (const tp of wanted) if (await backend.acquire(tp)) acquired.push(tp)
    if (acquired.length) {
      const committed = await backend.committed(acquired)
      const ends = opts.startFrom === 'latest' ? await backend.endOffsets(acquired) : new Map<string, number>()
      for (const tp of acquired) {
        const key = tpKey(tp)
        owned.set(key, { tp, position: committed.get(key) ?? ends.get(key) ?? 0, busy: null, pausedUntil: 0 })
        due.add(key)
      }
    }
    balanced = acquired.length === wanted.length
    if (balanced) for (const r of readyWaiters.splice(0)) r()
  }

  /** The batches of several partitions in one handleBatches call; each through process() if that declines. */
  async function processTogether(list: Array<{ o: Owned; messages: Message[] }>) {
    let handled = false
    try {
      handled = await opts.handleBatches!(
        list.map(({ o, messages }) => ({ topic: o.tp.topic, partition: o.tp.partition, messages, resolveOffset: () => {} })),
      )
    } catch (err) {
      const { o, messages } = list[0]!
      opts.onError?.(err, { topic: o.tp.topic, partition: o.tp.partition, offset: messages[0]!.offset })
    }
    if (!handled) {
      await Promise.all(list.map(({ o, messages }) => process(o, messages)))
      return
    }
    if (killed) return
    for (const { o, messages } of list) advance(o, messages, messages[messages.length - 1]!.offset, false)
  }

  async function process(o: Owned, messages: Message[]) {
    let resolved = -1
    const batch: Batch = {
      topic: o.tp.topic,
      partition: o.tp.partition,
      messages,
      resolveOffset: (offset) => {
        if (offset > resolved) resolved = offset
      },
    }
    let failed = false
    try {
      await opts.handleBatch(batch)
      resolved = messages[messages.length - 1]!.offset
    } catch (err) {
      failed = true
      const at = messages.find((m) => m.offset > resolved) ?? messages[0]!
      opts.onError?.(err, { topic: o.tp.topic, partition: o.tp.partition, offset: at.offset })
      o.pausedUntil = Date.now() + redeliveryDelayMs
    }
    if (killed) return
    advance(o, messages, resolved, failed)
  }

  /** Moves a partition past what was handled, and says when it is to be fetched again. */
  function advance(o: Owned, messages: Message[], resolved: number, failed: boolean) {
    if (resolved >= o.position) {
      o.position = resolved + 1
      queueCommit(o.tp, o.position)
    }
    const key = tpKey(o.tp)
    // A full batch leaves more behind it; a failed one is fetched again after the delay.
    if (failed)
      setTimeout(() => {
        due.add(key)
        wake()
      }, redeliveryDelayMs).unref()
    else if (messages.length >= maxBatch) {
      due.add(key)
      full.add(key)
    }
  }

  backend.onWake((reason, partitions) => {
    if (reason === 'group') nextRebalanceAt = 0
    else if (partitions) for (const tp of partitions) due.add(tpKey(tp))
    else nextPollAt = 0
    wake()
  })

  async function loop() {
    let joined = false
    while (running) {
      try {
        // A first join that fails (the broker briefly away) is retried as any lost connection is,
        // or the member would never consume while its process runs on.
        if (!joined) {
          joined = true
          await backend.join()
        }
        await iterate()
      } catch (err) {
        // Lost connection or broker trouble: finish what runs, give up ownership, join again.
        opts.onError?.(err, { topic: '', partition: -1, offset: -1 })
        await Promise.all([...owned.values()].map((o) => o.busy))
        // Commits need not go through the lost connection, and only move forward: keep what was handled.
        await flushCommits().catch(() => {})
        owned.clear()
        full.clear()
        balanced = false
        nextRebalanceAt = 0
        await new Promise((r) => setTimeout(r, redeliveryDelayMs))
        if (running) await backend.rejoin().catch((e: unknown) => opts.onError?.(e, { topic: '', partition: -1, offset: -1 }))
      }
    }
  }

  async function iterate() {
    if (Date.now() >= nextRebalanceAt) {
      await rebalance()
      // While a partition is still held by a leaving member, try again soon.
      nextRebalanceAt = Date.now() + (balanced ? rebalanceIntervalMs : Math.min(100, rebalanceIntervalMs))
    }
    if (!running) return
    // Under load, records that arrive within the linger come in this fetch rather than the next.
    const first = Date.now()
    if (
      lingerMs > 0 &&
      first < nextPollAt &&
      first - lastRecordsAt < 10 * lingerMs &&
      !full.size &&
      [...owned.entries()].some(([key, o]) => !o.busy && o.pausedUntil <= first && due.has(key))
    )
      await new Promise((r) => setTimeout(r, lingerMs))
    if (!running) return
    wakePending = false
    const now = Date.now()
    // The periodic poll fetches every partition: a safety net for a lost wake-up.
    const poll = now >= nextPollAt
    if (poll) {
      nextPollAt = now + pollIntervalMs
    }
    const ready = [...owned.entries()].filter(([key, o]) => !o.busy && o.pausedUntil <= now && (poll || due.has(key)))
    let started = 0
    if (ready.length) {
      for (const [key] of ready) {
        due.delete(key)
        full.delete(key)
      }
      const fetchedAt = Date.now()
      const positions = ready.map(([, o]) => ({ ...o.tp, offset: o.position }))
      // Handled offsets waiting for their commit go with this fetch when the backend can carry
      // them: under load a fetch comes before the commit interval is up, so commits cost nothing.
      const carried =
        backend.fetchAndCommit && !committing && !killed && toCommit.size && fetchedAt - queuedAt >= commitWithFetchAfterMs
          ? takeQueued()
          : null
      let messages: Message[]
      if (carried) {
        const fetching = backend.fetchAndCommit!(positions, maxBatch, carried)
        // It counts as the commit in flight: a commit falling due meanwhile waits for it, so two
        // statements of one member never lock the same offset rows at once (they could deadlock).
        committing = fetching
          .then(
            () => {
              commitError = null
            },
            (err: unknown) => {
              requeue(carried)
              commitError = err
            },
          )
          .finally(() => {
            committing = null
            scheduleCommit()
          })
        messages = await fetching
      } else messages = await backend.fetch(positions, maxBatch)
      if (messages.length) lastRecordsAt = fetchedAt
      const byTp = new Map<string, Message[]>()
      for (const m of messages) {
        const key = tpKey(m)
        const list = byTp.get(key)
        if (list) list.push(m)
        else byTp.set(key, [m])
      }
      const batches: Array<{ o: Owned; messages: Message[] }> = []
      for (const [key, msgs] of byTp) {
        const o = owned.get(key)
        if (o && running) batches.push({ o, messages: msgs })
      }
      const track = (o: Owned, work: Promise<void>) =>
        work
          .catch((err) => opts.onError?.(err, { topic: o.tp.topic, partition: o.tp.partition, offset: o.position }))
          .finally(() => {
            o.busy = null
            wake()
          })
      started = batches.length
      if (batches.length > 1 && opts.handleBatches) {
        // One call for every partition of the fetch; each partition stays busy until it is done.
        const together = processTogether(batches)
        for (const { o } of batches) o.busy = track(o, together)
      } else for (const { o, messages: msgs } of batches) o.busy = track(o, process(o, msgs))
    }
    if (started === 0 && running && !wakePending) {
      const until = Math.max(1, Math.min(nextPollAt, nextRebalanceAt) - Date.now())
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, until)
        wakeLocal = () => {
          clearTimeout(timer)
          resolve()
        }
      })
    }
  }

  const done = loop().catch((err) => {
    if (!killed) opts.onError?.(err, { topic: '', partition: -1, offset: -1 })
  })

  return {
    groupId: opts.groupId,
    assignments: () => [...owned.values()].map((o) => o.tp),
    ready: () => (balanced ? Promise.resolve() : new Promise<void>((r) => readyWaiters.push(r))),
    async stop() {
      if (!running) return done
      running = false
      wake()
      await done
      await Promise.all([...owned.values()].map((o) => o.busy))
      if (killed) return
      // Everything handled is committed before the partitions go, so a clean stop leaves nothing to redeliver.
      await flushCommits().catch((err: unknown) => opts.onError?.(err, { topic: '', partition: -1, offset: -1 }))
      // A broken connection has released everything already; leaving must not fail because of it.
      for (const o of owned.values()) await backend.release(o.tp).catch(() => {})
      owned.clear()
      await backend.leave()
    },
    kill() {
      killed = true
      running = false
      wake()
      backend.kill()
    },
  }
}
