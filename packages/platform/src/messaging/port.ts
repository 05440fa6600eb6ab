/**
 * The messaging port: a log-based broker with Kafka's semantics (topics split into
 * partitions, records routed by key, consumer groups sharing partitions, committed
 * offsets, at-least-once delivery, order per key). Every adapter maps onto Kafka one
 * to one, so code written against this port runs unchanged on Kafka.
 */

export type Headers = Record<string, string>

export interface OutgoingRecord {
  topic: string
  key: string
  value: Buffer
  headers?: Headers
}

export interface Message {
  topic: string
  partition: number
  offset: number
  key: string
  value: Buffer
  headers: Headers
  timestamp: Date
}

export interface Batch {
  topic: string
  partition: number
  messages: Message[]
  /**
   * Marks a message as processed: its offset (+1) is committed when the batch handler
   * returns or throws. Without it, a batch that throws is redelivered whole.
   */
  resolveOffset(offset: number): void
}

export interface ConsumeOptions {
  groupId: string
  topics: string[]
  /**
   * Called with the next messages of one partition, in offset order. Batches of one
   * partition never overlap; different partitions run concurrently. Returning commits
   * the whole batch; throwing commits what was resolved and redelivers the rest
   * after `redeliveryDelayMs`.
   */
  handleBatch(batch: Batch): Promise<void>
  /**
   * Optional: the batches of several partitions fetched together, in one call (a consumer
   * that handles them in one transaction). Resolves true once every batch is handled, and
   * all of them are committed; false or a throw sends each batch through handleBatch as
   * usual. Order within each partition is kept; partitions have no order between them.
   */
  handleBatches?(batches: Batch[]): Promise<boolean>
  /**
   * Under load (the last fetch with records was less than 10 × this ago), a wake-up waits
   * this long before fetching, so that records arriving close together come in one fetch and
   * one batch. 0 (default): fetch at once. A partition left with a full batch is fetched at once.
   */
  lingerMs?: number
  /** Where a group with no committed offset starts: 'earliest' (default) or 'latest'. */
  startFrom?: 'earliest' | 'latest'
  maxBatchSize?: number
  redeliveryDelayMs?: number
}

export interface Assignment {
  topic: string
  partition: number
}

export interface Consumer {
  readonly groupId: string
  /** Partitions this member owns right now. */
  assignments(): Assignment[]
  /** Resolves once the member owns partitions (or knows it owns none) after a rebalance. */
  ready(): Promise<void>
  /** Leaves the group: finishes the batches in flight, commits, releases the partitions. */
  stop(): Promise<void>
  /** Drops out at once, as a crashed process would: nothing more is committed (chaos tests). */
  kill(): void
}

export interface PartitionLag {
  topic: string
  partition: number
  /** Offset the next record appended to the partition will get. */
  endOffset: number
  committed: number
  lag: number
}

export interface MessageBus {
  readonly kind: string
  /** Creates the topic if missing; an existing topic keeps its partition count. */
  ensureTopic(topic: string, opts?: { partitions?: number }): Promise<void>
  partitionsOf(topic: string): Promise<number>
  listTopics(): Promise<string[]>
  /** Appends the records durably; resolves once all are stored. Order within one key is kept. */
  publish(records: OutgoingRecord[]): Promise<void>
  consume(opts: ConsumeOptions): Promise<Consumer>
  /** Reads a partition from an offset without a group (admin, DLQ inspection). */
  read(topic: string, partition: number, fromOffset: number, limit: number): Promise<Message[]>
  /** Committed offsets and lag of a group for the given topics. */
  lag(groupId: string, topics: string[]): Promise<PartitionLag[]>
  /**
   * Forgets a group that has no members left: its committed offsets (and any membership state), as
   * Kafka's DeleteGroups does. For groups named afresh at every start, which nothing reads again.
   */
  deleteGroup(groupId: string): Promise<void>
  /** Throws when the broker cannot be reached (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}

export const DEFAULT_PARTITIONS = 8

export const dlqTopicOf = (topic: string) => `${topic}.dlq`
