import { randomUUID } from 'node:crypto'
import { DeliverPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream'
import type { KV, Kvm, KvWatchEntry } from '@nats-io/kv'
import { assignPartitions, tpKey, type GroupBackend } from './group-consumer.js'
import type { Assignment, Message } from './port.js'

/**
 * Names on JetStream. Topic and group names may hold characters subjects, stream names and
 * KV keys do not allow ('.', '*', spaces…): each such byte becomes `_xx` (hex), so the
 * mapping is one to one and a name never spills into a neighbouring subject token.
 */
export const encodeName = (s: string) =>
  s.replace(/[^a-zA-Z0-9-]/g, (c) => [...Buffer.from(c, 'utf8')].map((b) => `_${b.toString(16).padStart(2, '0')}`).join(''))
export const decodeName = (s: string) =>
  s.replace(/(?:_[0-9a-f]{2})+/g, (run) => Buffer.from(run.replace(/_/g, ''), 'hex').toString('utf8'))

/** One stream per partition, so a stream sequence is the partition's offset + 1: offsets stay gap-free, as Kafka's. */
export const streamOf = (tp: Assignment) => `bus_${encodeName(tp.topic)}_p${tp.partition}`
export const subjectOf = (tp: Assignment) => `bus.${encodeName(tp.topic)}.${tp.partition}`
export const groupBucketName = (groupId: string) => `bus-group-${encodeName(groupId)}`
export const offsetKey = (groupId: string, tp: Assignment) => `${encodeName(groupId)}.${encodeName(tp.topic)}.${tp.partition}`
/** The record's key and headers travel in one header, so any header value (an error with line breaks) survives. */
export const RECORD_HEADER = 'Bus-Record'

export function toMessage(tp: Assignment, seq: number, data: Uint8Array, header: string | undefined, time: Date): Message {
  const { k, h } = header
    ? (JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { k: string; h: Record<string, string> })
    : { k: '', h: {} }
  return { topic: tp.topic, partition: tp.partition, offset: seq - 1, key: k, value: Buffer.from(data), headers: h, timestamp: time }
}

/** Offsets committed by a group: one KV entry per group/topic/partition; a commit only moves it forward. */
export function createOffsetStore(kv: KV) {
  const known = new Map<string, { rev: number; offset: number }>()
  async function read(key: string) {
    const e = await kv.get(key)
    const v = e && e.operation === 'PUT' ? { rev: e.revision, offset: Number(e.string()) } : { rev: e?.revision ?? 0, offset: -1 }
    known.set(key, v)
    return v
  }
  return {
    async get(groupId: string, tp: Assignment): Promise<number | undefined> {
      const v = await read(offsetKey(groupId, tp))
      return v.offset < 0 ? undefined : v.offset
    },
    /** Drops what this process remembers of a deleted group's entries. */
    forget(groupId: string) {
      const prefix = `${encodeName(groupId)}.`
      for (const key of known.keys()) if (key.startsWith(prefix)) known.delete(key)
    },
    async commit(groupId: string, tp: Assignment, offset: number) {
      const key = offsetKey(groupId, tp)
      let cur = known.get(key) ?? (await read(key))
      // Compare-and-set on the entry's revision: a member that lost its partition mid-batch and
      // commits after its successor must not move the offset back.
      for (let attempt = 0; attempt < 10; attempt++) {
        if (cur.offset >= offset) return
        try {
          const rev = cur.rev ? await kv.update(key, String(offset), cur.rev) : await kv.create(key, String(offset))
          known.set(key, { rev, offset })
          return
        } catch {
          cur = await read(key)
        }
      }
      throw new Error(`could not commit ${key}: the entry kept changing`)
    },
  }
}

export interface NatsGroupBackendOptions {
  js: JetStreamClient
  jsm: JetStreamManager
  kvm: Kvm
  groupId: string
  topics: string[]
  replicas: number
  partitionsOf(topic: string): Promise<number>
  offsets: ReturnType<typeof createOffsetStore>
  /** How long a member stays alive without a heartbeat; its partitions move after that. */
  leaseMs: number
  log?: (obj: object, msg: string) => void
  onGone(): void
}

interface Reader {
  /** Offsets in `buf` run from `head` to `next` - 1. */
  head: number
  next: number
  buf: Message[]
  stopped: boolean
  stop(): void
  drained?: () => void
}

const MAX_BUFFERED = 2000

/** The topics a lease entry names; null for an entry of a member from before they were named (a bare time). */
function topicsOf(value: string): string[] | null {
  try {
    const topics = (JSON.parse(value) as { topics?: unknown }).topics
    return Array.isArray(topics) && topics.every((t) => typeof t === 'string') ? topics : null
  } catch {
    return null
  }
}

/**
 * One member of a consumer group on JetStream. Membership and partition ownership live in
 * a KV bucket per group: `m.<member>` entries are leases the member renews every third of
 * the lease, `o.<topic>.<partition>` names the owner. A member takes a partition with a
 * compare-and-set on that entry, only while it is free or its owner's lease has run out, so a
 * killed member's partitions move once its lease expires. Every member watches the bucket,
 * so its view of the group is local and a rebalance costs no round trip. A member that sees
 * its partition taken (it stalled past its lease) drops everything and joins again.
 * Records are read by an ordered consumer per owned partition, from the position the loop asks for.
 */
export function createNatsGroupBackend(o: NatsGroupBackendOptions): GroupBackend {
  const { js, jsm, kvm, groupId, leaseMs } = o
  const memberId = randomUUID()
  const bucketName = groupBucketName(groupId)
  let bucket: KV | null = null
  let wakeFn: (reason: 'data' | 'group', partitions?: Assignment[]) => void = () => {}
  const members = new Map<string, { seen: number; rev: number; topics: string[] | null }>()
  const owners = new Map<string, { member: string; rev: number }>()
  const mine = new Set<string>()
  const readers = new Map<string, Reader>()
  let lost = false
  let gone = false
  let watch: { stop(): void } | null = null
  let heartbeat: NodeJS.Timeout | null = null

  const ownerKey = (tp: Assignment) => `o.${encodeName(tp.topic)}.${tp.partition}`
  const alive = (id: string) => id === memberId || Date.now() - (members.get(id)?.seen ?? 0) < leaseMs

  async function startWatch(kv: KV) {
    const last = (await jsm.streams.info(`KV_${bucketName}`)).state.last_seq
    let initialized!: () => void
    const ready = new Promise<void>((r) => (initialized = r))
    if (last === 0) initialized()
    const iter = await kv.watch({ key: '>' })
    watch = iter
    void (async () => {
      for await (const e of iter) {
        apply(e, e.revision > last)
        if (e.revision >= last) initialized()
      }
    })().catch((err: unknown) => o.log?.({ err, groupId }, 'group watch failed'))
    await ready
  }

  function apply(e: KvWatchEntry, live: boolean) {
    const [kind, ...rest] = e.key.split('.')
    const put = e.operation === 'PUT'
    if (kind === 'm') {
      const id = rest.join('.')
      const known = members.has(id)
      if (put) members.set(id, { seen: live ? Date.now() : e.created.getTime(), rev: e.revision, topics: topicsOf(e.string()) })
      else members.delete(id)
      if (known !== put) wakeFn('group')
    } else if (kind === 'o') {
      if (put) {
        const member = e.string()
        owners.set(e.key, { member, rev: e.revision })
        // Someone took a partition this member holds: it stalled past its lease.
        if (mine.has(e.key) && member !== memberId) {
          lost = true
          wakeFn('group')
        }
      } else {
        owners.delete(e.key)
        wakeFn('group')
      }
    }
  }

  // The lease entry names the topics the member reads: members of one group may read different ones.
  const renew = () => bucket!.put(`m.${memberId}`, JSON.stringify({ topics: o.topics }))

  function stopReader(key: string) {
    const r = readers.get(key)
    if (!r) return
    readers.delete(key)
    r.stopped = true
    r.drained?.()
    r.stop()
  }
  function stopAll() {
    for (const key of [...readers.keys()]) stopReader(key)
    mine.clear()
  }

  async function openReader(tp: Assignment, from: number): Promise<Reader> {
    const consumer = await js.consumers.get(streamOf(tp), { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from + 1 })
    const msgs = await consumer.consume({ max_messages: 256 })
    const r: Reader = { head: from, next: from, buf: [], stopped: false, stop: () => void msgs.stop() }
    void (async () => {
      for await (const m of msgs as AsyncIterable<JsMsg>) {
        if (r.stopped) break
        const msg = toMessage(tp, m.seq, m.data, m.headers?.get(RECORD_HEADER), m.time)
        r.buf.push(msg)
        r.next = msg.offset + 1
        wakeFn('data', [tp])
        // Backpressure: the ordered consumer stops pulling while the loop catches up.
        if (r.buf.length >= MAX_BUFFERED) await new Promise<void>((res) => (r.drained = res))
      }
    })().catch((err: unknown) => o.log?.({ err, groupId, ...tp }, 'partition reader failed'))
    return r
  }

  const backend: GroupBackend = {
    async join() {
      bucket ??= await kvm.create(bucketName, { history: 1, replicas: o.replicas })
      if (!watch) await startWatch(bucket)
      await renew()
      heartbeat ??= setInterval(() => {
        renew().catch((err: unknown) => o.log?.({ err, groupId }, 'group heartbeat failed'))
      }, leaseMs / 3)
      heartbeat.unref()
    },
    async rejoin() {
      stopAll()
      lost = false
      await backend.join()
    },
    async desiredAssignment() {
      if (lost) throw new Error(`member ${memberId} of ${groupId} lost a partition to another member (its lease ran out)`)
      for (const [id, m] of members)
        if (!alive(id)) {
          members.delete(id)
          // Swept once by whoever notices; a member that comes back renews its entry anyway.
          bucket!.delete(`m.${id}`, { previousSeq: m.rev }).catch(() => {})
        }
      const live = [...members].filter(([id]) => id !== memberId).map(([id, m]) => ({ id, topics: m.topics }))
      live.push({ id: memberId, topics: o.topics })
      return assignPartitions(memberId, live, (topic) => o.partitionsOf(topic))
    },
    async acquire(tp) {
      const key = ownerKey(tp)
      const cur = owners.get(key)
      if (cur && cur.member !== memberId && alive(cur.member)) return false
      try {
        const rev =
          cur?.member === memberId ? cur.rev : cur ? await bucket!.update(key, memberId, cur.rev) : await bucket!.create(key, memberId)
        owners.set(key, { member: memberId, rev })
        mine.add(key)
        return true
      } catch {
        return false
      }
    },
    async release(tp) {
      const key = ownerKey(tp)
      stopReader(tpKey(tp))
      mine.delete(key)
      const cur = owners.get(key)
      if (cur?.member === memberId) await bucket!.delete(key, { previousSeq: cur.rev }).catch(() => {})
    },
    async committed(tps) {
      const out = new Map<string, number>()
      await Promise.all(
        tps.map(async (tp) => {
          const c = await o.offsets.get(groupId, tp)
          if (c !== undefined) out.set(tpKey(tp), c)
        }),
      )
      return out
    },
    async endOffsets(tps) {
      return new Map(await Promise.all(tps.map(async (tp) => [tpKey(tp), (await jsm.streams.info(streamOf(tp))).state.last_seq] as const)))
    },
    async fetch(positions, max) {
      const out: Message[] = []
      for (const p of positions) {
        const key = tpKey(p)
        let r = readers.get(key)
        // A position outside what the reader holds (a batch to redeliver, a fresh partition): read again from there.
        if (!r || p.offset < r.head || p.offset > r.next) {
          stopReader(key)
          r = await openReader({ topic: p.topic, partition: p.partition }, p.offset)
          readers.set(key, r)
        }
        const skip = p.offset - r.head
        const batch = r.buf.splice(0, skip + max).slice(skip)
        r.head = batch.length ? batch[batch.length - 1]!.offset + 1 : p.offset
        if (r.buf.length < MAX_BUFFERED) r.drained?.()
        out.push(...batch)
      }
      return out
    },
    async commit(offsets) {
      if (gone) return
      await Promise.all(offsets.map((c) => o.offsets.commit(groupId, c, c.offset)))
    },
    onWake(fn) {
      wakeFn = fn
    },
    async leave() {
      if (heartbeat) clearInterval(heartbeat)
      stopAll()
      const me = members.get(memberId)
      await bucket?.delete(`m.${memberId}`, me ? { previousSeq: me.rev } : undefined).catch(() => {})
      watch?.stop()
      gone = true
      o.onGone()
    },
    kill() {
      // As a crashed process: no more heartbeats, so the lease runs out and the others take over.
      gone = true
      if (heartbeat) clearInterval(heartbeat)
      stopAll()
      watch?.stop()
      o.onGone()
    },
  }
  return backend
}
