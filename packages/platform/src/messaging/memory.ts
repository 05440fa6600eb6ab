import { randomUUID } from 'node:crypto'
import { partitionFor } from './partitioner.js'
import { assignPartitions, startGroupConsumer, tpKey, type GroupBackend, type GroupConsumerOptions } from './group-consumer.js'
import {
  DEFAULT_PARTITIONS,
  type Assignment,
  type Consumer,
  type Message,
  type MessageBus,
  type OutgoingRecord,
  type PartitionLag,
} from './port.js'

interface Group {
  /** Member id → the topics it reads. */
  members: Map<string, string[]>
  owners: Map<string, string>
  committed: Map<string, number>
  listeners: Map<string, (reason: 'data' | 'group', partitions?: Assignment[]) => void>
}

/** The in-memory adapter, for unit tests: the same semantics as the durable ones, in one process. */
export function createMemoryBus(opts: { defaultPartitions?: number } = {}): MessageBus & { severMembers(groupId: string): Promise<void> } {
  const topics = new Map<string, Message[][]>()
  const groups = new Map<string, Group>()
  const consumers = new Set<Consumer>()

  const ensure = (topic: string, partitions = opts.defaultPartitions ?? DEFAULT_PARTITIONS) => {
    let t = topics.get(topic)
    if (!t) {
      t = Array.from({ length: partitions }, () => [])
      topics.set(topic, t)
    }
    return t
  }
  const groupOf = (id: string) => {
    let g = groups.get(id)
    if (!g) {
      g = { members: new Map(), owners: new Map(), committed: new Map(), listeners: new Map() }
      groups.set(id, g)
    }
    return g
  }
  const notify = (g: Group, reason: 'data' | 'group', partitions?: Assignment[]) => {
    for (const l of g.listeners.values()) l(reason, partitions)
  }

  const bus = {
    kind: 'memory',
    async ensureTopic(topic: string, o?: { partitions?: number }) {
      ensure(topic, o?.partitions)
    },
    async listTopics() {
      return [...topics.keys()].sort()
    },
    async partitionsOf(topic: string) {
      return ensure(topic).length
    },
    async publish(records: OutgoingRecord[]) {
      const touched = new Map<string, Assignment>()
      for (const r of records) {
        const parts = ensure(r.topic)
        const partition = partitionFor(r.key, parts.length)
        const log = parts[partition]!
        touched.set(tpKey({ topic: r.topic, partition }), { topic: r.topic, partition })
        log.push({
          topic: r.topic,
          partition,
          offset: log.length,
          key: r.key,
          value: r.value,
          headers: { ...r.headers },
          timestamp: new Date(),
        })
      }
      for (const g of groups.values()) notify(g, 'data', [...touched.values()])
    },
    async consume(o: GroupConsumerOptions) {
      const g = groupOf(o.groupId)
      const memberId = randomUUID()
      let alive = true
      const backend: GroupBackend = {
        async join() {
          for (const t of o.topics) ensure(t)
          g.members.set(memberId, o.topics)
          notify(g, 'group')
        },
        async rejoin() {
          await backend.join()
        },
        async desiredAssignment() {
          // Cut off (severMembers): it notices, as a member of a durable broker does, and joins again.
          if (!g.members.has(memberId)) throw new Error('this member is no longer in its group; joining again')
          const members = [...g.members].map(([id, topics]) => ({ id, topics }))
          return assignPartitions(memberId, members, (topic) => ensure(topic).length)
        },
        async acquire(tp) {
          const owner = g.owners.get(tpKey(tp))
          if (owner && owner !== memberId) return false
          g.owners.set(tpKey(tp), memberId)
          return true
        },
        async release(tp) {
          if (g.owners.get(tpKey(tp)) === memberId) g.owners.delete(tpKey(tp))
          notify(g, 'group')
        },
        async committed(tps) {
          return new Map(tps.flatMap((tp) => (g.committed.has(tpKey(tp)) ? [[tpKey(tp), g.committed.get(tpKey(tp))!]] : [])))
        },
        async endOffsets(tps) {
          return new Map(tps.map((tp) => [tpKey(tp), ensure(tp.topic)[tp.partition]!.length]))
        },
        async fetch(positions, max) {
          if (!alive) return []
          return positions.flatMap((p) => ensure(p.topic)[p.partition]!.slice(p.offset, p.offset + max))
        },
        async commit(offsets) {
          if (!alive) return
          // A member that lost its partitions mid-batch may commit after its successor: only forward.
          for (const c of offsets) if (c.offset > (g.committed.get(tpKey(c)) ?? -1)) g.committed.set(tpKey(c), c.offset)
        },
        onWake(fn) {
          g.listeners.set(memberId, fn)
        },
        async leave() {
          g.members.delete(memberId)
          g.listeners.delete(memberId)
          notify(g, 'group')
        },
        kill() {
          alive = false
          g.members.delete(memberId)
          g.listeners.delete(memberId)
          for (const [k, owner] of g.owners) if (owner === memberId) g.owners.delete(k)
          notify(g, 'group')
        },
      }
      const consumer = startGroupConsumer(backend, { rebalanceIntervalMs: 50, ...o })
      consumers.add(consumer)
      return consumer
    },
    async read(topic: string, partition: number, fromOffset: number, limit: number) {
      return (ensure(topic)[partition] ?? []).slice(fromOffset, fromOffset + limit)
    },
    async lag(groupId: string, ts: string[]): Promise<PartitionLag[]> {
      const g = groupOf(groupId)
      return ts.flatMap((topic) =>
        ensure(topic).map((log, partition) => {
          const committed = g.committed.get(tpKey({ topic, partition })) ?? 0
          return { topic, partition, endOffset: log.length, committed, lag: log.length - committed }
        }),
      )
    },
    async deleteGroup(groupId: string) {
      groups.delete(groupId)
    },
    async ping() {},
    /**
     * Chaos tests: cuts the group's members off as a network partition would. The broker
     * forgets them and frees their partitions for whoever joins next, while they run on.
     */
    async severMembers(groupId: string) {
      const g = groupOf(groupId)
      g.members.clear()
      g.owners.clear()
      notify(g, 'group')
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.stop()))
    },
  }
  return bus
}

export type MemoryBus = ReturnType<typeof createMemoryBus>
export type { Assignment }
