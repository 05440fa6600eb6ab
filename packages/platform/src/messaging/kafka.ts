import {
  Admin,
  Connection,
  Consumer as KafkaReader,
  FindCoordinatorKeyTypes,
  heartbeatV4,
  joinGroupV9,
  leaveGroupV5,
  offsetCommitV9,
  ProduceAcks,
  Producer,
  syncGroupV5,
  type ClusterMetadata,
} from '@platformatic/kafka'
import { partitionFor } from './partitioner.js'
import { assignRoundRobin, startGroupConsumer, tpKey, type GroupBackend, type GroupConsumerOptions } from './group-consumer.js'
import {
  decodeAssignment,
  decodeSubscription,
  encodeAssignment,
  encodeSubscription,
  partitionLags,
  toMessages,
  toOffset,
  type KafkaConfig,
} from './kafka-support.js'
import { DEFAULT_PARTITIONS, type Assignment, type Consumer, type Message, type MessageBus, type OutgoingRecord } from './port.js'

// The client exports no name for a fetch request's topic entry.
type FetchRequestTopic = Parameters<KafkaReader['fetch']>[0]['topics'][number]

export { parseKafkaConfig, type KafkaConfig } from './kafka-support.js'

export interface KafkaBusOptions extends KafkaConfig {
  defaultPartitions?: number
  log?: (obj: object, msg: string) => void
}

// The protocol name members announce; every member of a group must share one.
const PROTOCOL = 'roundrobin'
// How long a fetch waits at the broker for records: the consumers' latency when idle, without a busy loop.
const FETCH_WAIT_MS = 100

type ProtocolFlags = { needsRejoin?: boolean; unknownMemberId?: boolean; memberId?: string; id?: string }
function protocolError(err: unknown): ProtocolFlags | null {
  const e = err as { findBy?: (k: string, v: unknown) => ProtocolFlags | null }
  return e?.findBy?.('needsRejoin', true) ?? null
}
function hasErrorId(err: unknown, id: string): boolean {
  const e = err as { findBy?: (k: string, v: unknown) => unknown }
  return Boolean(e?.findBy?.('apiId', id) ?? e?.findBy?.('id', id))
}

/**
 * The Kafka adapter on @platformatic/kafka (pure JavaScript). Producing is idempotent with
 * acks=all, and each record's partition is ours (partitionFor), so a key lands on the same
 * partition as on every other adapter. Consumer groups are Kafka's own (the classic protocol,
 * the coordinator deciding membership), driven here rather than by the client so that a member
 * finishes its batches and commits before it rejoins, as the Java consumer's revoke does:
 * the shared group-consumer loop then gives the same batching, commit and redelivery as on
 * the other adapters.
 */
export async function createKafkaBus(opts: KafkaBusOptions): Promise<MessageBus> {
  const base = { clientId: opts.clientId, bootstrapBrokers: opts.brokers }
  const admin = new Admin(base)
  // Sends run one at a time: the client numbers an idempotent producer's batches when it
  // builds them and counts them on the answer, so two sends in flight to one partition
  // would reuse sequence numbers and the broker would drop the second as a duplicate.
  const producer = new Producer({ ...base, idempotent: true, acks: ProduceAcks.ALL, autocreateTopics: false })
  // A group-less reader: fetches and offset look-ups for every consumer and for read/lag.
  const reader = new KafkaReader({ ...base, groupId: `${opts.clientId}-reader` })
  const defaultPartitions = opts.defaultPartitions ?? DEFAULT_PARTITIONS
  const partitionCache = new Map<string, number>()
  const consumers = new Set<Consumer>()
  let sending: Promise<unknown> = Promise.resolve()

  async function metadataOf(topics: string[], forceUpdate = false): Promise<ClusterMetadata> {
    return reader.metadata({ topics, forceUpdate })
  }

  async function ensureTopic(topic: string, o?: { partitions?: number }) {
    if (partitionCache.has(topic)) return
    try {
      await admin.createTopics({ topics: [topic], partitions: o?.partitions ?? defaultPartitions, replicas: opts.replicationFactor })
    } catch (err) {
      if (!hasErrorId(err, 'TOPIC_ALREADY_EXISTS')) throw err
    }
    partitionCache.set(topic, await countPartitions(topic))
  }
  async function countPartitions(topic: string): Promise<number> {
    // A topic just created reaches every broker's metadata a moment later.
    for (let attempt = 0; ; attempt++) {
      try {
        const n = (await metadataOf([topic], true)).topics.get(topic)?.partitionsCount
        if (n) return n
      } catch (err) {
        if (attempt >= 20) throw err
      }
      if (attempt >= 20) throw new Error(`topic ${topic} has no partitions in the cluster metadata`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  async function partitionsOf(topic: string) {
    await ensureTopic(topic)
    return partitionCache.get(topic)!
  }

  async function publish(records: OutgoingRecord[]) {
    if (!records.length) return
    const messages: Array<{ topic: string; key: Buffer; value: Buffer; headers: Map<Buffer, Buffer>; partition: number }> = []
    for (const r of records) {
      const headers = new Map<Buffer, Buffer>(Object.entries(r.headers ?? {}).map(([k, v]) => [Buffer.from(k), Buffer.from(v)]))
      messages.push({
        topic: r.topic,
        key: Buffer.from(r.key, 'utf8'),
        value: r.value,
        headers,
        partition: partitionFor(r.key, await partitionsOf(r.topic)),
      })
    }
    const send = sending.then(() => producer.send({ messages }))
    sending = send.catch(() => {})
    await send
  }

  /** One fetch request per partition leader, all at once; the records from each position on. */
  async function fetchFrom(positions: Array<Assignment & { offset: number }>, maxPerPartition: number, maxWaitTime: number) {
    if (!positions.length) return []
    const metadata = await metadataOf([...new Set(positions.map((p) => p.topic))])
    const byLeader = new Map<number, FetchRequestTopic[]>()
    const nameOf = new Map<string, string>()
    for (const p of positions) {
      const t = metadata.topics.get(p.topic)
      if (!t) throw new Error(`topic ${p.topic} is not in the cluster metadata`)
      nameOf.set(t.id, p.topic)
      const leader = t.partitions[p.partition]!.leader
      const list = byLeader.get(leader) ?? []
      list.push({
        topicId: t.id,
        partitions: [
          {
            partition: p.partition,
            fetchOffset: BigInt(p.offset),
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            partitionMaxBytes: 1 << 20,
          },
        ],
      })
      byLeader.set(leader, list)
    }
    const from = new Map(positions.map((p) => [tpKey(p), p.offset]))
    const answers = await Promise.all(
      [...byLeader].map(([node, topics]) => reader.fetch({ node, topics, maxWaitTime, minBytes: 1, maxBytes: 8 << 20 })),
    )
    const out: Message[] = []
    for (const answer of answers)
      for (const t of answer.responses) {
        const topic = nameOf.get(t.topicId)!
        for (const p of t.partitions)
          out.push(
            ...toMessages(
              topic,
              p.partitionIndex,
              p.records ?? [],
              from.get(tpKey({ topic, partition: p.partitionIndex })) ?? 0,
              maxPerPartition,
            ),
          )
      }
    return out
  }

  async function endOffsets(topics: string[]): Promise<Map<string, number[]>> {
    const offsets = await reader.listOffsets({ topics })
    return new Map([...offsets].map(([topic, ends]) => [topic, ends.map(toOffset)]))
  }

  async function committedOffsets(groupId: string, topics: string[]): Promise<Map<string, Map<number, number>>> {
    const [group] = await admin.listConsumerGroupOffsets({
      groups: [{ groupId, topics: topics.map((name) => ({ name, partitionIndexes: [] })) }],
    })
    const out = new Map<string, Map<number, number>>()
    for (const t of group?.topics ?? [])
      out.set(
        t.name,
        new Map(t.partitions.filter((p) => p.committedOffset >= 0n).map((p) => [p.partitionIndex, toOffset(p.committedOffset)])),
      )
    return out
  }

  function groupBackend(o: GroupConsumerOptions): GroupBackend {
    const groupId = o.groupId
    let conn: Connection | null = null
    let memberId = ''
    let generationId = -1
    let assignment: Assignment[] = []
    let mustRejoin = false
    let gone = false
    let heartbeat: NodeJS.Timeout | null = null
    const held = new Set<string>()
    let wakeUp: (reason: 'data' | 'group') => void = () => {}

    async function coordinator(): Promise<Connection> {
      if (conn?.isConnected()) return conn
      await conn?.close().catch(() => {})
      const [found] = await admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] })
      if (!found) throw new Error(`no coordinator for group ${groupId}`)
      // A JoinGroup is answered only when every member has rejoined: up to the rebalance timeout.
      const c = new Connection(opts.clientId, { requestTimeout: opts.rebalanceTimeoutMs + 5000 })
      await c.connect(found.host, found.port)
      conn = c
      return c
    }

    async function joinAndSync(): Promise<void> {
      for (let attempt = 0; ; attempt++) {
        const c = await coordinator()
        try {
          const joined = await joinGroupV9.api.async(
            c,
            groupId,
            opts.sessionTimeoutMs,
            opts.rebalanceTimeoutMs,
            memberId,
            null,
            'consumer',
            [{ name: PROTOCOL, metadata: encodeSubscription(o.topics) }],
          )
          memberId = joined.memberId ?? memberId
          generationId = joined.generationId
          let plan: Array<{ memberId: string; assignment: Buffer }> = []
          if (joined.leader === memberId) {
            const members = joined.members.map((m) => ({ id: m.memberId, topics: m.metadata ? decodeSubscription(m.metadata) : [] }))
            const counts = new Map<string, number>()
            for (const t of new Set(members.flatMap((m) => m.topics))) counts.set(t, await partitionsOf(t))
            const split = assignRoundRobin(members, counts)
            plan = [...split].map(([id, tps]) => ({ memberId: id, assignment: encodeAssignment(tps) }))
          }
          const synced = await syncGroupV5.api.async(c, groupId, generationId, memberId, null, 'consumer', PROTOCOL, plan)
          assignment = decodeAssignment(synced.assignment).filter((tp) => o.topics.includes(tp.topic))
          mustRejoin = false
          startHeartbeat()
          return
        } catch (err) {
          const p = protocolError(err)
          if (p?.memberId) memberId = p.memberId
          else if (p?.unknownMemberId) memberId = ''
          if (hasErrorId(err, 'NOT_COORDINATOR') || hasErrorId(err, 'COORDINATOR_NOT_AVAILABLE')) await conn?.close().catch(() => {})
          else if (!p || attempt >= 10) throw err
        }
      }
    }

    function startHeartbeat() {
      if (heartbeat) clearTimeout(heartbeat)
      heartbeat = setTimeout(async () => {
        heartbeat = null
        if (gone || mustRejoin) return
        try {
          await heartbeatV4.api.async(await coordinator(), groupId, generationId, memberId, null)
        } catch (err) {
          // A rebalance (or our own expiry): give the partitions back, then rejoin. Anything
          // else (a lost connection) is tried again at the next beat.
          if (protocolError(err)) {
            if (protocolError(err)?.unknownMemberId) memberId = ''
            mustRejoin = true
            wakeUp('group')
            return
          }
          opts.log?.({ err, groupId }, 'kafka heartbeat failed')
        }
        if (!gone) startHeartbeat()
      }, opts.heartbeatIntervalMs)
      heartbeat.unref()
    }

    function stopHeartbeat() {
      if (heartbeat) clearTimeout(heartbeat)
      heartbeat = null
    }

    return {
      join: () => joinAndSync(),
      async rejoin() {
        stopHeartbeat()
        held.clear()
        await conn?.close().catch(() => {})
        conn = null
        await joinAndSync()
      },
      async desiredAssignment() {
        if (!mustRejoin) return assignment
        // Eager revoke: every partition is given back (its batches finished and committed by
        // the loop) before this member rejoins; the coordinator waits for it.
        if (held.size) return []
        await joinAndSync()
        return assignment
      },
      async acquire(tp) {
        if (mustRejoin || !assignment.some((a) => a.topic === tp.topic && a.partition === tp.partition)) return false
        held.add(tpKey(tp))
        return true
      },
      async release(tp) {
        held.delete(tpKey(tp))
        if (mustRejoin && !held.size) wakeUp('group')
      },
      async committed(tps) {
        const committed = await committedOffsets(groupId, [...new Set(tps.map((tp) => tp.topic))])
        const out = new Map<string, number>()
        for (const tp of tps) {
          const c = committed.get(tp.topic)?.get(tp.partition)
          if (c !== undefined) out.set(tpKey(tp), c)
        }
        return out
      },
      async endOffsets(tps) {
        const ends = await endOffsets([...new Set(tps.map((tp) => tp.topic))])
        return new Map(tps.map((tp) => [tpKey(tp), ends.get(tp.topic)?.[tp.partition] ?? 0]))
      },
      fetch: (positions, max) => fetchFrom(positions, max, FETCH_WAIT_MS),
      async commit(offsets) {
        if (gone) return
        const byTopic = new Map<string, Array<{ partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number }>>()
        for (const c of offsets)
          byTopic.set(c.topic, [
            ...(byTopic.get(c.topic) ?? []),
            { partitionIndex: c.partition, committedOffset: BigInt(c.offset), committedLeaderEpoch: -1 },
          ])
        try {
          // With this member's generation: the coordinator refuses a commit from a member it
          // has already replaced (ILLEGAL_GENERATION), so a stale member cannot move offsets back.
          await offsetCommitV9.api.async(
            await coordinator(),
            groupId,
            generationId,
            memberId,
            null,
            [...byTopic].map(([name, partitions]) => ({ name, partitions })),
          )
        } catch (err) {
          if (protocolError(err)) {
            mustRejoin = true
            wakeUp('group')
          }
          throw err
        }
      },
      onWake(fn) {
        wakeUp = fn
      },
      async leave() {
        gone = true
        stopHeartbeat()
        try {
          if (memberId) await leaveGroupV5.api.async(await coordinator(), groupId, [{ memberId, groupInstanceId: null, reason: 'stopped' }])
        } finally {
          await conn?.close().catch(() => {})
          conn = null
        }
      },
      kill() {
        // As a crashed process: no LeaveGroup, no more heartbeats; the coordinator expires the member.
        gone = true
        stopHeartbeat()
        void conn?.close().catch(() => {})
        conn = null
      },
    }
  }

  async function consume(o: GroupConsumerOptions) {
    for (const t of o.topics) await ensureTopic(t)
    const consumer = startGroupConsumer(groupBackend(o), {
      onError: (err, ctx) => opts.log?.({ err, ...ctx, groupId: o.groupId }, 'consumer batch failed'),
      // No wake-ups from Kafka: fetches long-poll at the broker instead, so the loop polls at once.
      pollIntervalMs: 1,
      rebalanceIntervalMs: 100,
      ...o,
    })
    consumers.add(consumer)
    return consumer
  }

  return {
    kind: 'kafka',
    ensureTopic,
    partitionsOf,
    async listTopics() {
      return (await admin.listTopics()).sort()
    },
    publish,
    consume,
    async read(topic, partition, fromOffset, limit) {
      return fetchFrom([{ topic, partition, offset: fromOffset }], limit, 0)
    },
    async lag(groupId, topics) {
      const [ends, committed] = await Promise.all([endOffsets(topics), committedOffsets(groupId, topics)])
      return partitionLags(topics, ends, committed)
    },
    async deleteGroup(groupId) {
      await admin.deleteGroups({ groups: [groupId] })
    },
    async ping() {
      await metadataOf([], true)
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.stop()))
      await sending
      await Promise.all([producer.close(), reader.close(), admin.close()])
    },
  }
}
