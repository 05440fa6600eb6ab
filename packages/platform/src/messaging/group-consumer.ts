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
  /** Registers the callback the backend calls when new data ('data') or a membership change ('group') may be there. */
  onWake(fn: (reason: 'data' | 'group') => void): void
  leave(): Promise<void>
  /** Drops out at once, as a crashed process would: nothing more is committed. */
  kill(): void
}

export interface GroupConsumerOptions extends ConsumeOptions {
  rebalanceIntervalMs?: number
  pollIntervalMs?: number
  onError?: (err: unknown, ctx: { topic: string; partition: number; offset: number }) => void
}

export const tpKey = (tp: Assignment) => `${tp.topic}\u0000${tp.partition}`

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
  const owned = new Map<string, Owned>()
  let running = true
  let killed = false
  let balanced = false
  let nextRebalanceAt = 0
  let wakeLocal: (() => void) | null = null
  const readyWaiters: Array<() => void> = []

  // A wake-up that arrives while the loop is busy is remembered, so it is never lost.
  let wakePending = false
  const wake = () => {
    const w = wakeLocal
    wakeLocal = null
    if (w) w()
    else wakePending = true
  }

  async function rebalance() {
    const desired = await backend.desiredAssignment()
    const desiredKeys = new Set(desired.map(tpKey))
    for (const [key, o] of owned) {
      if (desiredKeys.has(key)) continue
      await o.busy
      owned.delete(key)
      if (!killed) await backend.release(o.tp)
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
      }
    }
    balanced = acquired.length === wanted.length
    if (balanced) for (const r of readyWaiters.splice(0)) r()
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
    if (resolved >= o.position) {
      await backend.commit([{ ...o.tp, offset: resolved + 1 }])
      o.position = resolved + 1
    }
    if (failed) setTimeout(wake, redeliveryDelayMs).unref()
  }

  backend.onWake((reason) => {
    if (reason === 'group') nextRebalanceAt = 0
    wake()
  })

  async function loop() {
    await backend.join()
    while (running) {
      try {
        await iterate()
      } catch (err) {
        // Lost connection or broker trouble: finish what runs, give up ownership, join again.
        opts.onError?.(err, { topic: '', partition: -1, offset: -1 })
        await Promise.all([...owned.values()].map((o) => o.busy))
        owned.clear()
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
    wakePending = false
    const now = Date.now()
    const idle = [...owned.values()].filter((o) => !o.busy && o.pausedUntil <= now)
    let started = 0
    if (idle.length) {
      const messages = await backend.fetch(
        idle.map((o) => ({ ...o.tp, offset: o.position })),
        maxBatch,
      )
      const byTp = new Map<string, Message[]>()
      for (const m of messages) {
        const key = tpKey(m)
        const list = byTp.get(key)
        if (list) list.push(m)
        else byTp.set(key, [m])
      }
      for (const [key, msgs] of byTp) {
        const o = owned.get(key)
        if (!o || !running) continue
        started++
        o.busy = process(o, msgs)
          .catch((err) => opts.onError?.(err, { topic: o.tp.topic, partition: o.tp.partition, offset: o.position }))
          .finally(() => {
            o.busy = null
            wake()
          })
      }
    }
    if (started === 0 && running && !wakePending) {
      const until = Math.min(pollIntervalMs, Math.max(1, nextRebalanceAt - Date.now()))
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
