import pg from 'pg'
import { randomUUID } from 'node:crypto'
import { closeClient, createDb, type Db } from '../postgres/db.js'
import { migrate } from '../postgres/migrate.js'
import { partitionFor } from './partitioner.js'
import { startGroupConsumer, tpKey, type GroupBackend, type GroupConsumerOptions } from './group-consumer.js'
import {
  DEFAULT_PARTITIONS,
  type Assignment,
  type Consumer,
  type Message,
  type MessageBus,
  type OutgoingRecord,
  type PartitionLag,
} from './port.js'

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
]

const DATA_CHANNEL = 'bus_data'
const GROUP_CHANNEL = 'bus_group'

export interface PgLogOptions {
  url: string
  defaultPartitions?: number
  /** Pool size for publishing and fetching. */
  poolSize?: number
  log?: (obj: object, msg: string) => void
}

/**
 * The embedded default broker: a durable partitioned log in its own PostgreSQL database.
 * Offsets are gap-free per partition: an append locks the partition's counter row until
 * commit, so offsets become visible in order and a reader never skips a late commit.
 * Group members share partitions through session advisory locks, which the server drops
 * the moment a member's connection dies, so a SIGKILLed member's partitions free up at once.
 */
export async function createPgLogBus(opts: PgLogOptions): Promise<MessageBus & { db: Db }> {
  const db = createDb({ url: opts.url, max: opts.poolSize ?? 6, applicationName: 'bus' })
  // Offset commits need not wait for the disk: one lost in a crash only means redelivery,
  // which the consumers' inboxes absorb. Appends (publish) stay fully durable.
  const offsetDb = createDb({ url: opts.url, max: 2, applicationName: 'bus-offsets', options: '-c synchronous_commit=off' })
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
       SELECT pg_notify($10, t) FROM unnest($11::text[]) AS t`,
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
        DATA_CHANNEL,
        [...new Set(ordered.map((g) => g.topic))],
      ],
    )
  }

  type LogRow = { topic: string; partition: number; offset: number; key: string; value: Buffer; headers: Record<string, string>; ts: Date }
  const toMessage = (r: LogRow): Message => ({
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    key: r.key,
    value: r.value,
    headers: r.headers,
    timestamp: r.ts,
  })

  async function consume(o: GroupConsumerOptions) {
    for (const t of o.topics) await ensureTopic(t)
    const memberId = randomUUID()
    let wakeFn: (reason: 'data' | 'group') => void = () => {}
    const topics = new Set(o.topics)
    // The control connection carries membership, partition locks and wake-ups; when it
    // dies the server drops its locks, and the member joins again on a new one.
    const newControl = () => {
      const c = new pg.Client({ connectionString: opts.url, application_name: `bus:${o.groupId}` })
      c.on('error', () => {})
      c.on('notification', (n) => {
        if (n.channel === DATA_CHANNEL && n.payload && topics.has(n.payload)) wakeFn('data')
        else if (n.channel === GROUP_CHANNEL && n.payload === o.groupId) wakeFn('group')
      })
      return c
    }
    let control = newControl()
    const backend: GroupBackend = {
      async rejoin() {
        await closeClient(control)
        control = newControl()
        await backend.join()
      },
      async join() {
        await control.connect()
        await control.query(`LISTEN ${DATA_CHANNEL}`)
        await control.query(`LISTEN ${GROUP_CHANNEL}`)
        await control.query(
          `INSERT INTO bus_members (group_id, member_id, pid, backend_start)
           SELECT $1, $2, pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()`,
          [o.groupId, memberId],
        )
        await control.query('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, o.groupId])
      },
      async desiredAssignment() {
        // Members whose connection is gone are dead: forget them, and tell the others.
        const { rowCount } = await control.query(
          `DELETE FROM bus_members m WHERE group_id = $1 AND NOT EXISTS
             (SELECT 1 FROM pg_stat_activity a WHERE a.pid = m.pid AND a.backend_start = m.backend_start)`,
          [o.groupId],
        )
        if (rowCount) await control.query('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, o.groupId])
        const { rows: members } = await control.query<{ member_id: string }>(
          'SELECT member_id FROM bus_members WHERE group_id = $1 ORDER BY member_id',
          [o.groupId],
        )
        const index = members.findIndex((m) => m.member_id === memberId)
        if (index < 0) return []
        const { rows: parts } = await control.query<Assignment>(
          'SELECT topic, partition FROM bus_partitions WHERE topic = ANY($1) ORDER BY topic, partition',
          [o.topics],
        )
        return parts.filter((_, i) => i % members.length === index)
      },
      async acquire(tp) {
        const { rows } = await control.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', [
          o.groupId,
          `${tp.topic}/${tp.partition}`,
        ])
        return rows[0]!.ok
      },
      async release(tp) {
        await control.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [o.groupId, `${tp.topic}/${tp.partition}`])
        await control.query('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, o.groupId])
      },
      async committed(tps) {
        const { rows } = await db.query<{ topic: string; partition: number; committed: number }>(
          `SELECT topic, partition, committed FROM bus_offsets
           WHERE group_id = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
          [o.groupId, tps.map((t) => t.topic), tps.map((t) => t.partition)],
        )
        return new Map(rows.map((r) => [tpKey(r), r.committed]))
      },
      async endOffsets(tps) {
        const { rows } = await db.query<{ topic: string; partition: number; next_offset: number }>(
          `SELECT topic, partition, next_offset FROM bus_partitions
           WHERE (topic, partition) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
          [tps.map((t) => t.topic), tps.map((t) => t.partition)],
        )
        return new Map(rows.map((r) => [tpKey(r), r.next_offset]))
      },
      async fetch(positions, max) {
        const { rows } = await db.query<LogRow>(
          `SELECT l.topic, l.partition, l."offset", l.key, l.value, l.headers, l.ts
           FROM unnest($1::text[], $2::int[], $3::bigint[]) AS p(topic, partition, pos)
           CROSS JOIN LATERAL (
             SELECT * FROM bus_log l WHERE l.topic = p.topic AND l.partition = p.partition AND l."offset" >= p.pos
             ORDER BY l."offset" LIMIT $4
           ) l`,
          [positions.map((p) => p.topic), positions.map((p) => p.partition), positions.map((p) => p.offset), max],
        )
        return rows.map(toMessage)
      },
      async commit(offsets) {
        await offsetDb.query(
          `INSERT INTO bus_offsets (group_id, topic, partition, committed)
           SELECT $1, * FROM unnest($2::text[], $3::int[], $4::bigint[])
           ON CONFLICT (group_id, topic, partition) DO UPDATE SET committed = EXCLUDED.committed, updated_at = now()`,
          [o.groupId, offsets.map((c) => c.topic), offsets.map((c) => c.partition), offsets.map((c) => c.offset)],
        )
      },
      onWake(fn) {
        wakeFn = fn
      },
      async leave() {
        // A member whose connection is already gone has left anyway (its row is swept by the others).
        await control
          .query('DELETE FROM bus_members WHERE group_id = $1 AND member_id = $2', [o.groupId, memberId])
          .then(() => control.query('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, o.groupId]))
          .catch(() => {})
        await closeClient(control)
        consumers.delete(consumer)
      },
      kill() {
        // As a crashed process: the socket goes, the server drops the locks.
        ;(control as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
        consumers.delete(consumer)
      },
    }
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
    async ping() {
      await db.query('SELECT 1 FROM bus_partitions LIMIT 1')
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.stop()))
      await offsetDb.close()
      await db.close()
    },
  }
}
