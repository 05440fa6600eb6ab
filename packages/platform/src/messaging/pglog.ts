import { createDb, type Db } from '../postgres/db.js'
import { migrate } from '../postgres/migrate.js'
import { partitionFor } from './partitioner.js'
import { startGroupConsumer, tpKey, type GroupConsumerOptions } from './group-consumer.js'
import { createPgGroupBackend, dataChannel, toMessage, type LogRow } from './pglog-group.js'
import { DEFAULT_PARTITIONS, type Consumer, type MessageBus, type OutgoingRecord, type PartitionLag } from './port.js'

const MIGRATIONS = [
  {
    name: '001_log.sql',
    sql: `
      CREATE TABLE bus_partitions (
        topic text NOT NULL,
        partition int NOT NULL,
        next_offset bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (topic, partition)
      );
      CREATE TABLE bus_log (
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        key text NOT NULL,
        value bytea NOT NULL,
        headers jsonb NOT NULL DEFAULT '{}',
        ts timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (topic, partition, "offset")
      );
      CREATE TABLE bus_offsets (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        committed bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition)
      );
      -- A member is alive while the connection that registered it (pid + start time) is.
      CREATE TABLE bus_members (
        group_id text NOT NULL,
        member_id text NOT NULL,
        pid int NOT NULL,
        backend_start timestamptz NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, member_id)
      );
    `,
  },
  {
    // Members of one group may read different topics; a row without them is a member from before.
    name: '002_member_topics.sql',
    sql: `ALTER TABLE bus_members ADD COLUMN topics text[];`,
  },
]

export interface PgLogOptions {
  url: string
  defaultPartitions?: number
  /** Pool size for publishing and fetching. */
  poolSize?: number
  log?: (obj: object, msg: string) => void
  /**
   * Records older than this are deleted (dead-letter topics excepted: they wait for an operator),
   * as Kafka's retention.ms does; unset keeps every record. A consumer whose position falls
   * below the earliest record left reads on from there.
   */
  retentionMs?: number
  /** How often the retention runs (default: a tenth of retentionMs, at most every 10 minutes). */
  retentionIntervalMs?: number
  /** Records deleted per statement. */
  retentionBatch?: number
}

/** The advisory lock of the retention run (one process at a time per bus database). */
const RETENTION_LOCK = 'brokerage-bus-retention'

export type PgLogBus = MessageBus & {
  db: Db
  /** Deletes the records past retention now; returns how many (0 while another process is at it). */
  pruneExpired(): Promise<number>
}

/**
 * The embedded default broker: a durable partitioned log in its own PostgreSQL database.
 * Offsets are gap-free per partition: an append locks the partition's counter row until
 * commit, so offsets become visible in order and a reader never skips a late commit.
 * Group members share partitions through session advisory locks, which the server drops
 * the moment a member's connection dies, so a SIGKILLed member's partitions free up at once.
 */
export async function createPgLogBus(opts: PgLogOptions): Promise<PgLogBus> {
  const db = createDb({ url: opts.url, max: opts.poolSize ?? 6, applicationName: 'bus' })
  // Offset commits need not wait for the disk: one lost in a crash only means redelivery,
  // which the consumers' inboxes absorb. Appends (publish) stay fully durable. Fetches that
  // carry a commit run here too.
  const offsetDb = createDb({ url: opts.url, max: 4, applicationName: 'bus-offsets', options: '-c synchronous_commit=off' })
  await migrate(db, 'bus', MIGRATIONS)
  const defaultPartitions = opts.defaultPartitions ?? DEFAULT_PARTITIONS
  const partitionCache = new Map<string, number>()
  const consumers = new Set<Consumer>()

  async function ensureTopic(topic: string, o?: { partitions?: number }) {
    if (partitionCache.has(topic)) return
    const n = o?.partitions ?? defaultPartitions
    await db.query(
      `INSERT INTO bus_partitions (topic, partition) SELECT $1, g FROM generate_series(0, $2::int - 1) g
       WHERE NOT EXISTS (SELECT 1 FROM bus_partitions WHERE topic = $1)
       ON CONFLICT DO NOTHING`,
      [topic, n],
    )
    partitionCache.set(topic, await countPartitions(topic))
  }
  async function countPartitions(topic: string) {
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM bus_partitions WHERE topic = $1', [topic])
    return rows[0]!.n
  }
  async function partitionsOf(topic: string) {
    await ensureTopic(topic)
    return partitionCache.get(topic)!
  }

  async function publish(records: OutgoingRecord[]) {
    if (!records.length) return
    const groups = new Map<string, { topic: string; partition: number; records: OutgoingRecord[] }>()
    for (const r of records) {
      const partition = partitionFor(r.key, await partitionsOf(r.topic))
      const k = tpKey({ topic: r.topic, partition })
      const g = groups.get(k) ?? { topic: r.topic, partition, records: [] }
      g.records.push(r)
      groups.set(k, g)
    }
    // Lock partitions in one global order so concurrent publishers cannot deadlock.
    const ordered = [...groups.values()].sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1))
    const rows = ordered.flatMap((g) => g.records.map((r, idx) => ({ g, r, idx })))
    // One wake-up per topic, naming the partitions that got records.
    const wakeUps = new Map<string, number[]>()
    for (const g of ordered) wakeUps.set(g.topic, [...(wakeUps.get(g.topic) ?? []), g.partition])
    // One statement, so one round trip and its own transaction: lock the partitions'
    // counters in one global order (so concurrent publishers cannot deadlock), advance
    // them, append every record at its offset, and wake the consumers at commit.
    await db.query(
      `WITH c AS (SELECT * FROM unnest($1::text[], $2::int[], $3::int[]) AS c(topic, partition, n)),
       locked AS (
         SELECT p.topic, p.partition FROM bus_partitions p JOIN c ON p.topic = c.topic AND p.partition = c.partition
         ORDER BY p.topic, p.partition FOR UPDATE OF p
       ),
       u AS (
         UPDATE bus_partitions p SET next_offset = p.next_offset + c.n FROM c, locked l
         WHERE p.topic = c.topic AND p.partition = c.partition AND l.topic = c.topic AND l.partition = c.partition
         RETURNING p.topic, p.partition, p.next_offset - c.n AS first
       ),
       i AS (
         INSERT INTO bus_log (topic, partition, "offset", key, value, headers)
         SELECT r.topic, r.partition, u.first + r.idx, r.key, r.value, r.headers
         FROM unnest($4::text[], $5::int[], $6::int[], $7::text[], $8::bytea[], $9::jsonb[]) AS r(topic, partition, idx, key, value, headers)
         JOIN u ON u.topic = r.topic AND u.partition = r.partition
       )
       SELECT pg_notify(c, p) FROM unnest($10::text[], $11::text[]) AS n(c, p)`,
      [
        ordered.map((g) => g.topic),
        ordered.map((g) => g.partition),
        ordered.map((g) => g.records.length),
        rows.map((x) => x.g.topic),
        rows.map((x) => x.g.partition),
        rows.map((x) => x.idx),
        rows.map((x) => x.r.key),
        rows.map((x) => x.r.value),
        rows.map((x) => JSON.stringify(x.r.headers ?? {})),
        [...wakeUps.keys()].map(dataChannel),
        [...wakeUps.values()].map((ps) => ps.join(',')),
      ],
    )
  }

  // Each partition's expired records are a prefix of its log (offsets grow with time): found by
  // walking the primary key from the partition's start to the first record to keep, deleted a
  // batch per statement. Every process of the platform has the timer; a session advisory lock
  // lets one prune at a time, and the others skip that round.
  const retentionBatch = opts.retentionBatch ?? 10_000
  async function pruneExpired(): Promise<number> {
    if (!opts.retentionMs) return 0
    const cutoff = new Date(Date.now() - opts.retentionMs)
    const client = await db.pool.connect()
    try {
      const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [RETENTION_LOCK])
      if (!lock[0]!.ok) return 0
      try {
        const { rows: partitions } = await client.query<{ topic: string; partition: number; next_offset: string }>(
          `SELECT topic, partition, next_offset FROM bus_partitions WHERE topic NOT LIKE '%.dlq' ORDER BY topic, partition`,
        )
        let deleted = 0
        for (const p of partitions) {
          for (;;) {
            const { rows } = await client.query<{ n: number }>(
              `WITH keep AS (
                 SELECT "offset" FROM bus_log WHERE topic = $1 AND partition = $2 AND ts >= $3 ORDER BY "offset" LIMIT 1
               ),
               first AS (SELECT min("offset") AS o FROM bus_log WHERE topic = $1 AND partition = $2),
               gone AS (
                 DELETE FROM bus_log WHERE topic = $1 AND partition = $2
                   AND "offset" < coalesce((SELECT "offset" FROM keep), $4::bigint)
                   AND "offset" < (SELECT o FROM first) + $5
                 RETURNING 1
               )
               SELECT count(*)::int AS n FROM gone`,
              [p.topic, p.partition, cutoff, p.next_offset, retentionBatch],
            )
            deleted += rows[0]!.n
            if (rows[0]!.n < retentionBatch) break
          }
        }
        return deleted
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [RETENTION_LOCK])
      }
    } finally {
      client.release()
    }
  }
  let pruning: Promise<unknown> | null = null
  const pruneTimer = opts.retentionMs
    ? setInterval(
        () => {
          // One run at a time: a long first run (a backlog of days) must not be joined by the next.
          pruning ??= pruneExpired()
            .catch((err: Error) => opts.log?.({ err }, 'deleting records past retention failed'))
            .finally(() => (pruning = null))
        },
        opts.retentionIntervalMs ?? Math.min(opts.retentionMs / 10, 10 * 60_000),
      ).unref()
    : undefined

  async function consume(o: GroupConsumerOptions) {
    for (const t of o.topics) await ensureTopic(t)
    const backend = createPgGroupBackend({
      url: opts.url,
      groupId: o.groupId,
      topics: o.topics,
      db,
      offsetDb,
      onGone: () => consumers.delete(consumer),
    })
    const consumer = startGroupConsumer(backend, {
      onError: (err, ctx) => opts.log?.({ err, ...ctx, groupId: o.groupId }, 'consumer batch failed'),
      ...o,
    })
    consumers.add(consumer)
    return consumer
  }

  return {
    kind: 'pglog',
    db,
    ensureTopic,
    partitionsOf,
    async listTopics() {
      const { rows } = await db.query<{ topic: string }>('SELECT DISTINCT topic FROM bus_partitions ORDER BY topic')
      return rows.map((r) => r.topic)
    },
    publish,
    consume,
    async read(topic, partition, fromOffset, limit) {
      const { rows } = await db.query<LogRow>(
        `SELECT topic, partition, "offset", key, value, headers, ts FROM bus_log
         WHERE topic = $1 AND partition = $2 AND "offset" >= $3 ORDER BY "offset" LIMIT $4`,
        [topic, partition, fromOffset, limit],
      )
      return rows.map(toMessage)
    },
    async lag(groupId, topics): Promise<PartitionLag[]> {
      const { rows } = await db.query<{ topic: string; partition: number; end_offset: number; committed: number }>(
        `SELECT p.topic, p.partition, p.next_offset AS end_offset, COALESCE(o.committed, 0) AS committed
         FROM bus_partitions p LEFT JOIN bus_offsets o ON o.group_id = $1 AND o.topic = p.topic AND o.partition = p.partition
         WHERE p.topic = ANY($2) ORDER BY p.topic, p.partition`,
        [groupId, topics],
      )
      return rows.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        endOffset: r.end_offset,
        committed: r.committed,
        lag: r.end_offset - r.committed,
      }))
    },
    async deleteGroup(groupId) {
      await db.query('DELETE FROM bus_offsets WHERE group_id = $1', [groupId])
      await db.query('DELETE FROM bus_members WHERE group_id = $1', [groupId])
    },
    async ping() {
      await db.query('SELECT 1 FROM bus_partitions LIMIT 1')
    },
    pruneExpired,
    async close() {
      clearInterval(pruneTimer)
      await pruning
      await Promise.all([...consumers].map((c) => c.stop()))
      await offsetDb.close()
      await db.close()
    },
  }
}
