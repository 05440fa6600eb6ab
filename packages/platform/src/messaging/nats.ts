import { createHash, randomUUID } from 'node:crypto'
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node'
import {
  jetstream,
  jetstreamManager,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream'
import { Kvm, type KV } from '@nats-io/kv'
import { partitionFor } from './partitioner.js'
import { startGroupConsumer, type GroupConsumerOptions } from './group-consumer.js'
import {
  createNatsGroupBackend,
  createOffsetStore,
  decodeName,
  encodeName,
  groupBucketName,
  RECORD_HEADER,
  streamOf,
  subjectOf,
  toMessage,
} from './nats-group.js'
import {
  DEFAULT_PARTITIONS,
  type Assignment,
  type Consumer,
  type Message,
  type MessageBus,
  type OutgoingRecord,
  type PartitionLag,
} from './port.js'

export interface NatsBusOptions {
  /** Comma-separated server URLs (nats://127.0.0.1:4222,nats://127.0.0.1:4223). */
  servers: string
  /** Replicas of every stream and KV bucket; by default 3 on a cluster, 1 on a single server. */
  replicas?: number
  defaultPartitions?: number
  /** A group member's lease: a member silent for this long is dead and its partitions move. */
  leaseMs?: number
  name?: string
  log?: (obj: object, msg: string) => void
}

export type NatsBus = MessageBus & { nc: NatsConnection; jsm: JetStreamManager }

// How long JetStream remembers a Nats-Msg-Id: a relay that crashed between publish and
// marking its outbox rows sends them again well within this, and they are dropped.
const DUPLICATE_WINDOW_NS = 10 * 60 * 1e9

// JetStream's answer to a publish whose Nats-Expected-Last-Msg-Id is not the stream's last message.
const WRONG_LAST_MSG_ID = 10070
// Records of one partition awaiting their acknowledgements at once.
const MAX_IN_FLIGHT = 256

// The events layer's id header (EVENT_HEADERS.id); the messaging layer does not import events.
const EVENT_ID_HEADER = 'event-id'

/**
 * Cluster administration (a stream or bucket being created, a leader being elected) may not
 * answer for a while: such calls are tried again until the deadline instead of failing a start.
 */
export async function untilAnswered<T>(fn: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await fn()
    } catch (err) {
      const transient = /timeout|no responders|503|leader|not available/i.test(`${(err as Error)?.name} ${(err as Error)?.message}`)
      if (!transient || Date.now() > deadline) throw err
      await new Promise((r) => setTimeout(r, 250))
    }
  }
}

const isExists = (err: unknown) => /already in use|already exists/i.test(String((err as Error)?.message))
const isNotFound = (err: unknown) => /not found/i.test(String((err as Error)?.message))

/**
 * The NATS JetStream adapter: Kafka's semantics on JetStream. A topic is a set of streams,
 * one per partition (subject `bus.<topic>.<n>`), so a partition's offsets are its stream's
 * sequences less one: gap-free, as on Kafka and pglog. Keys pick the partition with the
 * same murmur2 partitioner. A topic's partition count is a KV entry (`bus-topics`), created
 * once, so every process agrees on it; committed offsets are KV entries (`bus-offsets`).
 * Consumer groups are described in nats-group.ts.
 */
export async function createNatsBus(opts: NatsBusOptions): Promise<NatsBus> {
  const nc = await connect({
    servers: opts.servers.split(',').map((s) => s.trim()),
    name: opts.name ?? 'bus',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  })
  const js = jetstream(nc, { timeout: 10_000 })
  const jsm = await jetstreamManager(nc, { timeout: 10_000 })
  const kvm = new Kvm(js)
  const leaseMs = opts.leaseMs ?? 4000
  const defaultPartitions = opts.defaultPartitions ?? DEFAULT_PARTITIONS

  // A clustered server names its cluster in its INFO: three copies there, one on a lone server.
  const replicas = opts.replicas ?? (nc.info?.cluster ? 3 : 1)
  async function bucket(name: string): Promise<KV> {
    try {
      return await untilAnswered(() => kvm.create(name, { history: 1, replicas }))
    } catch (err) {
      if (isExists(err)) return untilAnswered(() => kvm.open(name))
      throw err
    }
  }
  const topicsKv = await bucket('bus-topics')
  const offsetsKv = await bucket('bus-offsets')
  const offsets = createOffsetStore(offsetsKv)
  const topics = new Map<string, Promise<number>>()
  const consumers = new Set<Consumer>()

  // On a cluster a read may reach a replica that has not yet applied another process's create: the
  // entry is known to exist (the create was refused), so it is asked again until it shows.
  async function storedPartitionCount(topic: string, key: string): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      const n = Number((await untilAnswered(() => topicsKv.get(key)))?.string())
      if (Number.isInteger(n) && n >= 1) return n
      if (attempt >= 50) throw new Error(`topic ${topic} has no valid partition count in bus-topics`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async function createTopic(topic: string, wanted: number): Promise<number> {
    const key = encodeName(topic)
    // The first process to create the entry fixes the partition count for everyone.
    const created = await untilAnswered(() => topicsKv.create(key, String(wanted))).then(
      () => true,
      (err: unknown) => {
        // Another process created it first (or an earlier try that timed out did): its count holds.
        if (!/wrong last sequence|exists/i.test(String((err as Error)?.message))) throw err
        return false
      },
    )
    const n = created ? wanted : await storedPartitionCount(topic, key)
    // Created on every ensure, so a process that died between the entry and its streams is repaired.
    await Promise.all(
      Array.from({ length: n }, async (_, partition) => {
        const tp = { topic, partition }
        await untilAnswered(() =>
          jsm.streams.add({
            name: streamOf(tp),
            subjects: [subjectOf(tp)],
            num_replicas: replicas,
            storage: StorageType.File,
            retention: RetentionPolicy.Limits,
            discard: DiscardPolicy.Old,
            duplicate_window: DUPLICATE_WINDOW_NS,
          }),
        ).catch((err: unknown) => {
          if (!isExists(err)) throw err
        })
      }),
    )
    return n
  }
  function ensure(topic: string, partitions?: number): Promise<number> {
    let p = topics.get(topic)
    if (!p) {
      p = createTopic(topic, partitions ?? defaultPartitions)
      topics.set(topic, p)
      p.catch(() => topics.delete(topic))
    }
    return p
  }

  /**
   * An event republished by a relay that crashed before marking it sent carries the same
   * headers (they are stored in the outbox), so the same Nats-Msg-Id: JetStream drops the
   * copy. A replayed or dead-lettered copy has headers of its own, so it is a new message.
   * A record without an event id (a raw record) gets a random id: never de-duplicated, but the
   * record after it can still be made to follow it (publishPartition).
   */
  function msgIdOf(r: OutgoingRecord): string {
    if (!r.headers?.[EVENT_ID_HEADER]) return randomUUID()
    const h = Object.entries(r.headers).sort(([a], [b]) => (a < b ? -1 : 1))
    return createHash('sha256')
      .update(JSON.stringify([r.key, h]))
      .digest('base64url')
  }

  async function publish(records: OutgoingRecord[]) {
    const byPartition = new Map<string, { tp: Assignment; records: OutgoingRecord[] }>()
    for (const r of records) {
      const tp = { topic: r.topic, partition: partitionFor(r.key, await ensure(r.topic)) }
      const s = subjectOf(tp)
      const g = byPartition.get(s) ?? { tp, records: [] }
      g.records.push(r)
      byPartition.set(s, g)
    }
    await Promise.all([...byPartition.values()].map(({ tp, records: rs }) => publishPartition(subjectOf(tp), rs)))
  }

  /**
   * A partition's records are sent without waiting for each other's acknowledgement (one round
   * trip for the lot instead of one per record), and each but the first of a window carries
   * Nats-Expected-Last-Msg-Id, its predecessor's id: the stream stores it only directly after
   * that record. So if a leader change loses a record, every later one is refused rather than
   * stored ahead of it, and per-key order holds. JetStream checks de-duplication before the
   * expectation, so a copy already stored is acknowledged as a duplicate; the record after it
   * is then refused (the stream's last message is not that copy) and sent again unconditionally,
   * now that everything before it is stored.
   */
  async function publishPartition(subject: string, rs: OutgoingRecord[]) {
    const ids = rs.map(msgIdOf)
    let i = 0
    while (i < rs.length) {
      const end = Math.min(rs.length, i + MAX_IN_FLIGHT)
      const sent = rs.slice(i, end).map((r, j) => {
        const h = natsHeaders()
        h.set(RECORD_HEADER, Buffer.from(JSON.stringify({ k: r.key, h: r.headers ?? {} })).toString('base64'))
        return js.publish(subject, r.value, {
          headers: h,
          msgID: ids[i + j],
          ...(j > 0 ? { expect: { lastMsgID: ids[i + j - 1] } } : {}),
        })
      })
      const results = await Promise.allSettled(sent)
      const failed = results.findIndex((r) => r.status === 'rejected')
      if (failed < 0) {
        i = end
        continue
      }
      const err = (results[failed] as PromiseRejectedResult).reason as unknown
      if (failed > 0 && err instanceof JetStreamApiError && err.code === WRONG_LAST_MSG_ID) {
        i += failed
        continue
      }
      throw err
    }
  }

  async function consume(o: GroupConsumerOptions) {
    for (const t of o.topics) await ensure(t)
    const backend = createNatsGroupBackend({
      js,
      jsm,
      kvm,
      groupId: o.groupId,
      topics: o.topics,
      replicas,
      partitionsOf: (t) => ensure(t),
      offsets,
      leaseMs,
      log: opts.log,
      onGone: () => consumers.delete(consumer),
    })
    const consumer = startGroupConsumer(backend, {
      onError: (err, ctx) => opts.log?.({ err, ...ctx, groupId: o.groupId }, 'consumer batch failed'),
      ...o,
    })
    consumers.add(consumer)
    return consumer
  }

  const endOffset = async (tp: Assignment) => (await jsm.streams.info(streamOf(tp))).state.last_seq

  return {
    kind: 'nats',
    nc,
    jsm,
    async ensureTopic(topic, o) {
      await ensure(topic, o?.partitions)
    },
    partitionsOf: (topic) => ensure(topic),
    async listTopics() {
      const out: string[] = []
      for await (const k of await topicsKv.keys()) out.push(decodeName(k))
      return out.sort()
    },
    publish,
    consume,
    async read(topic, partition, fromOffset, limit) {
      const tp = { topic, partition }
      const end = Math.min(await endOffset(tp), fromOffset + limit)
      const out: Message[] = []
      for (let seq = fromOffset + 1; seq <= end; seq++) {
        const m = await jsm.streams.getMessage(streamOf(tp), { seq })
        if (m) out.push(toMessage(tp, m.seq, m.data, m.header?.get(RECORD_HEADER), m.time))
      }
      return out
    },
    async lag(groupId, ts): Promise<PartitionLag[]> {
      const out: PartitionLag[] = []
      for (const topic of ts) {
        const n = await ensure(topic)
        for (let partition = 0; partition < n; partition++) {
          const tp = { topic, partition }
          const [end, committed] = await Promise.all([endOffset(tp), offsets.get(groupId, tp)])
          out.push({ topic, partition, endOffset: end, committed: committed ?? 0, lag: end - (committed ?? 0) })
        }
      }
      return out
    },
    async deleteGroup(groupId) {
      for await (const key of await offsetsKv.keys(`${encodeName(groupId)}.>`)) await offsetsKv.purge(key)
      offsets.forget(groupId)
      // The group's membership bucket (leases and partition owners) is a stream of its own.
      await jsm.streams.delete(`KV_${groupBucketName(groupId)}`).catch((err: unknown) => {
        if (!isNotFound(err)) throw err
      })
    },
    async ping() {
      await jsm.getAccountInfo()
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.stop()))
      await nc.close()
    },
  }
}
