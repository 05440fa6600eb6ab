import type { Assignment, Headers, Message, PartitionLag } from './port.js'

/**
 * The Kafka adapter's pure parts (configuration, record and offset arithmetic, the classic
 * consumer protocol's subscription and assignment bytes), kept apart from the client so they
 * are unit-tested without a broker.
 */

export interface KafkaConfig {
  brokers: string[]
  clientId: string
  /** How long the coordinator waits for a silent member before it hands its partitions on. */
  sessionTimeoutMs: number
  /** How long a rebalance may wait for members to finish their batches and rejoin. */
  rebalanceTimeoutMs: number
  heartbeatIntervalMs: number
  /** Replicas of a topic the adapter creates; -1 takes the broker's default.replication.factor. */
  replicationFactor: number
}

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/

/** The adapter's settings as configuration gives them (service-config.ts reads them from KAFKA_*); unset ones take the defaults. */
export interface KafkaSettings {
  /** Bootstrap brokers, host:port, comma-separated (KAFKA_BROKERS). */
  brokers?: string
  /** KAFKA_CLIENT_ID (default brokerage). */
  clientId?: string
  /** KAFKA_SESSION_TIMEOUT_MS (default 10 s, at least 1 s). */
  sessionTimeoutMs?: number
  /** KAFKA_REBALANCE_TIMEOUT_MS (default 60 s, at least the session timeout). */
  rebalanceTimeoutMs?: number
  /** KAFKA_REPLICATION_FACTOR (default -1: the broker's default.replication.factor). */
  replicationFactor?: number
}

function intSetting(env: Record<string, string | undefined>, name: string): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const n = Number(raw)
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, not '${raw}'`)
  return n
}

function atLeast(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min}, not '${value}'`)
  return value
}

/** Checks the settings (named by their variables in errors) and fills the defaults. */
export function kafkaConfig(s: KafkaSettings): KafkaConfig {
  const brokers = (s.brokers ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean)
  if (!brokers.length) throw new Error('the kafka bus needs KAFKA_BROKERS (host:port, comma-separated)')
  for (const b of brokers) {
    const m = HOST_PORT.exec(b)
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`KAFKA_BROKERS: '${b}' is not host:port`)
  }
  const sessionTimeoutMs = atLeast('KAFKA_SESSION_TIMEOUT_MS', s.sessionTimeoutMs, 10_000, 1000)
  const rebalanceTimeoutMs = atLeast('KAFKA_REBALANCE_TIMEOUT_MS', s.rebalanceTimeoutMs, 60_000, sessionTimeoutMs)
  return {
    brokers,
    clientId: s.clientId || 'brokerage',
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    // Kafka's rule of thumb: a third of the session, so two heartbeats may be lost.
    heartbeatIntervalMs: Math.max(100, Math.floor(sessionTimeoutMs / 3)),
    replicationFactor: atLeast('KAFKA_REPLICATION_FACTOR', s.replicationFactor, -1, -1),
  }
}

/** Reads KAFKA_BROKERS ("host:port,host:port") and the optional tuning variables; throws on a bad value. */
export function parseKafkaConfig(env: Record<string, string | undefined>): KafkaConfig {
  return kafkaConfig({
    brokers: env['KAFKA_BROKERS'],
    clientId: env['KAFKA_CLIENT_ID'],
    sessionTimeoutMs: intSetting(env, 'KAFKA_SESSION_TIMEOUT_MS'),
    rebalanceTimeoutMs: intSetting(env, 'KAFKA_REBALANCE_TIMEOUT_MS'),
    replicationFactor: intSetting(env, 'KAFKA_REPLICATION_FACTOR'),
  })
}

/** Kafka offsets are int64; the port's are numbers, exact up to 2^53. */
export function toOffset(offset: bigint): number {
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`offset ${offset} is past 2^53`)
  return Number(offset)
}

// Attribute bit 5 marks a control batch (transaction markers): it has offsets but no records to deliver.
const IS_CONTROL = 1 << 5

export interface RawRecord {
  offsetDelta: number
  timestampDelta: bigint
  key: Buffer | null
  value: Buffer | null
  headers: Array<[Buffer | null, Buffer | null]>
}
export interface RawBatch {
  firstOffset: bigint
  firstTimestamp: bigint
  attributes: number
  records: RawRecord[]
}

/**
 * The records of one fetched partition as port messages: from `fromOffset` on (a fetch
 * answers with whole batches, which may start before it), control batches skipped, at most `limit`.
 */
export function toMessages(topic: string, partition: number, batches: RawBatch[], fromOffset: number, limit: number): Message[] {
  const out: Message[] = []
  for (const batch of batches) {
    if (batch.attributes & IS_CONTROL) continue
    for (const r of batch.records) {
      const offset = toOffset(batch.firstOffset + BigInt(r.offsetDelta))
      if (offset < fromOffset) continue
      if (out.length >= limit) return out
      const headers: Headers = {}
      for (const [k, v] of r.headers) if (k) headers[k.toString('utf8')] = v?.toString('utf8') ?? ''
      out.push({
        topic,
        partition,
        offset,
        key: r.key?.toString('utf8') ?? '',
        value: r.value ?? Buffer.alloc(0),
        headers,
        timestamp: new Date(Number(batch.firstTimestamp + r.timestampDelta)),
      })
    }
  }
  return out
}

/** Lag per partition; a partition the group never committed counts from 0, as on the other adapters. */
export function partitionLags(topics: string[], ends: Map<string, number[]>, committed: Map<string, Map<number, number>>): PartitionLag[] {
  return topics.flatMap((topic) =>
    (ends.get(topic) ?? []).map((endOffset, partition) => {
      const c = committed.get(topic)?.get(partition)
      const done = c !== undefined && c >= 0 ? c : 0
      return { topic, partition, endOffset, committed: done, lag: Math.max(0, endOffset - done) }
    }),
  )
}

// The classic consumer protocol's bytes (ConsumerProtocolSubscription / ConsumerProtocolAssignment,
// version 0), so tools such as kafka-consumer-groups describe the group as any other.

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeInt16BE(b.length)
  return Buffer.concat([len, b])
}
function int16(n: number) {
  const b = Buffer.alloc(2)
  b.writeInt16BE(n)
  return b
}
function int32(n: number) {
  const b = Buffer.alloc(4)
  b.writeInt32BE(n)
  return b
}

export function encodeSubscription(topics: string[]): Buffer {
  return Buffer.concat([int16(0), int32(topics.length), ...topics.map(str), int32(-1)])
}

class Cursor {
  at = 0
  constructor(readonly b: Buffer) {}
  int16() {
    const v = this.b.readInt16BE(this.at)
    this.at += 2
    return v
  }
  int32() {
    const v = this.b.readInt32BE(this.at)
    this.at += 4
    return v
  }
  string() {
    const len = this.int16()
    const v = this.b.toString('utf8', this.at, this.at + len)
    this.at += len
    return v
  }
}

export function decodeSubscription(b: Buffer): string[] {
  const c = new Cursor(b)
  c.int16()
  return Array.from({ length: Math.max(0, c.int32()) }, () => c.string())
}

export function encodeAssignment(tps: Assignment[]): Buffer {
  const byTopic = new Map<string, number[]>()
  for (const tp of tps) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition])
  return Buffer.concat([
    int16(0),
    int32(byTopic.size),
    ...[...byTopic].flatMap(([topic, ps]) => [str(topic), int32(ps.length), ...ps.map(int32)]),
    int32(-1),
  ])
}

export function decodeAssignment(b: Buffer | null | undefined): Assignment[] {
  // An empty assignment (no partitions for this member) may come as no bytes at all.
  if (!b || b.length < 6) return []
  const c = new Cursor(b)
  c.int16()
  const out: Assignment[] = []
  const topics = c.int32()
  for (let t = 0; t < topics; t++) {
    const topic = c.string()
    const n = c.int32()
    for (let i = 0; i < n; i++) out.push({ topic, partition: c.int32() })
  }
  return out
}
