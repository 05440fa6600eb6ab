import pg from 'pg'
import { createHash, randomUUID } from 'node:crypto'
import { closeClient, type Db } from '../postgres/db.js'
import { assignPartitions, tpKey, type GroupBackend, type GroupMember } from './group-consumer.js'
import type { Assignment, Message } from './port.js'

/** NOTIFY channel of a group's membership changes (payload: group id). */
export const GROUP_CHANNEL = 'bus_group'

/**
 * NOTIFY channel of a topic's new records (payload: the partitions that got some, comma
 * separated): one channel per topic, so an append wakes only the consumers of its topic.
 * Channel names are at most 63 bytes; a longer topic name is hashed.
 */
export function dataChannel(topic: string): string {
  const name = `bus_data:${topic}`
  return Buffer.byteLength(name) <= 63 ? name : `bus_data:${createHash('md5').update(topic).digest('hex')}`
}

export type LogRow = {
  topic: string
  partition: number
  offset: number
  key: string
  value: Buffer
  headers: Record<string, string>
  ts: Date
}

export const toMessage = (r: LogRow): Message => ({
  topic: r.topic,
  partition: r.partition,
  offset: r.offset,
  key: r.key,
  value: r.value,
  headers: r.headers,
  timestamp: r.ts,
})

type Position = Assignment & { offset: number }

/** The records past each position, at most `max` per partition ($1–$4). */
const FETCH = `SELECT l.topic, l.partition, l."offset", l.key, l.value, l.headers, l.ts
  FROM unnest($1::text[], $2::int[], $3::bigint[]) AS p(topic, partition, pos)
  CROSS JOIN LATERAL (
    SELECT * FROM bus_log l WHERE l.topic = p.topic AND l.partition = p.partition AND l."offset" >= p.pos
    ORDER BY l."offset" LIMIT $4
  ) l`
const fetchParams = (positions: Position[], max: number) => [
  positions.map((p) => p.topic),
  positions.map((p) => p.partition),
  positions.map((p) => p.offset),
  max,
]

/** Stores committed offsets, never moving one back; its parameters (commitParams) start at $n. */
const commitAt = (n: number) => `INSERT INTO bus_offsets AS stored (group_id, topic, partition, committed)
  SELECT $${n}, * FROM unnest($${n + 1}::text[], $${n + 2}::int[], $${n + 3}::bigint[])
  ON CONFLICT (group_id, topic, partition) DO UPDATE SET committed = EXCLUDED.committed, updated_at = now()
  WHERE stored.committed < EXCLUDED.committed`
const commitParams = (groupId: string, offsets: Position[]) => [
  groupId,
  offsets.map((c) => c.topic),
  offsets.map((c) => c.partition),
  offsets.map((c) => c.offset),
]
const COMMIT = commitAt(1)
/** A fetch that commits in the same round trip: the two parts touch different tables. */
const FETCH_AND_COMMIT = `WITH committed AS (${commitAt(5)}) ${FETCH}`

export interface PgGroupBackendOptions {
  url: string
  groupId: string
  topics: string[]
  /** Pool for fetching and reading offsets. */
  db: Db
  /** Pool for offset commits (asynchronous commit: a lost one only means redelivery). */
  offsetDb: Db
  /** Called once the member has left or been killed. */
  onGone(): void
}

/**
 * One member of a consumer group on the pglog tables: membership rows, partition
 * ownership through session advisory locks on one control connection, fetches from the
 * log and offset commits that only move forward.
 */
export function createPgGroupBackend(o: PgGroupBackendOptions): GroupBackend {
  const { db, offsetDb, groupId } = o
  const memberId = randomUUID()
  let wakeFn: (reason: 'data' | 'group', partitions?: Assignment[]) => void = () => {}
  const topicOfChannel = new Map(o.topics.map((t) => [dataChannel(t), t]))
  // The partition counts of the group's topics, read once: a topic keeps its partition count.
  const partitionCounts = new Map<string, number>()
  // The control connection carries membership, partition locks and wake-ups; when it
  // dies the server drops its locks, and the member joins again on a new one.
  const dead = new WeakSet<pg.Client>()
  const newControl = () => {
    const c = new pg.Client({ connectionString: o.url, application_name: `bus:${groupId}` })
    c.on('error', () => dead.add(c))
    c.on('end', () => dead.add(c))
    c.on('notification', (n) => {
      const topic = topicOfChannel.get(n.channel)
      if (topic !== undefined) {
        const ps = (n.payload ?? '').split(',').map(Number)
        wakeFn('data', ps.every((p) => Number.isInteger(p) && p >= 0) ? ps.map((partition) => ({ topic, partition })) : undefined)
      } else if (n.channel === GROUP_CHANNEL && n.payload === groupId) wakeFn('group')
    })
    return c
  }
  let control = newControl()
  // pg leaves a query on a client whose connection ended while connecting pending for ever
  // (no socket, so nothing ever settles it): a member would hang in its next rebalance, or
  // in stop(), instead of failing over to a new connection. Queries on a dead one fail at once.
  const q = <R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]) =>
    dead.has(control) ? Promise.reject(new Error('the control connection is closed')) : control.query<R>(text, values)
  const lockKey = (tp: Assignment) => [groupId, `${tp.topic}/${tp.partition}`]

  const backend: GroupBackend = {
    async rejoin() {
      await closeClient(control)
      control = newControl()
      await backend.join()
    },
    async join() {
      await control.connect().catch((err: unknown) => {
        dead.add(control)
        throw err
      })
      await q([...topicOfChannel.keys(), GROUP_CHANNEL].map((c) => `LISTEN ${control.escapeIdentifier(c)};`).join(' '))
      await q(
        // A member joining again after its connection died may find its old row not yet swept.
        `INSERT INTO bus_members (group_id, member_id, pid, backend_start, topics)
         SELECT $1, $2, pid, backend_start, $3 FROM pg_stat_activity WHERE pid = pg_backend_pid()
         ON CONFLICT (group_id, member_id) DO UPDATE SET pid = EXCLUDED.pid, backend_start = EXCLUDED.backend_start, joined_at = now()`,
        [groupId, memberId, o.topics],
      )
      await q('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, groupId])
    },
    async desiredAssignment() {
      // Members whose connection is gone are dead: forget them, and tell the others. One
      // round trip while nothing changes, as this runs every rebalance interval before a fetch.
      // pg_stat_activity hides the backend_start of another role's session (a service with a user of its own): its pid must do.
      const { rows } = await q<{ members: GroupMember[]; gone: number }>(
        `WITH gone AS (
           DELETE FROM bus_members m WHERE group_id = $1 AND NOT EXISTS
             (SELECT 1 FROM pg_stat_activity a WHERE a.pid = m.pid AND (a.backend_start = m.backend_start OR a.backend_start IS NULL))
           RETURNING member_id
         )
         SELECT coalesce((SELECT json_agg(json_build_object('id', member_id, 'topics', topics)) FROM bus_members
                          WHERE group_id = $1 AND member_id NOT IN (SELECT member_id FROM gone)), '[]') AS members,
                (SELECT count(*) FROM gone)::int AS gone`,
        [groupId],
      )
      const { members, gone } = rows[0]!
      if (gone) await q('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, groupId])
      // Swept as dead (its connection dropped): idling here would leave its partitions unread for ever.
      if (!members.some((m) => m.id === memberId)) throw new Error('this member is no longer in its group; joining again')
      const unknown = [...new Set(members.flatMap((m) => m.topics ?? []))].filter((t) => !partitionCounts.has(t))
      if (unknown.length) {
        const counts = await q<{ topic: string; n: number }>(
          'SELECT topic, count(*)::int AS n FROM bus_partitions WHERE topic = ANY($1) GROUP BY topic',
          [unknown],
        )
        for (const r of counts.rows) partitionCounts.set(r.topic, r.n)
      }
      return assignPartitions(memberId, members, (t) => partitionCounts.get(t) ?? 0)
    },
    async acquire(tp) {
      const { rows } = await q<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS ok', lockKey(tp))
      return rows[0]!.ok
    },
    async release(tp) {
      await q('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', lockKey(tp))
      await q('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, groupId])
    },
    async committed(tps) {
      const { rows } = await db.query<{ topic: string; partition: number; committed: number }>(
        `SELECT topic, partition, committed FROM bus_offsets
         WHERE group_id = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[]))`,
        [groupId, tps.map((t) => t.topic), tps.map((t) => t.partition)],
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
      const { rows } = await db.query<LogRow>(FETCH, fetchParams(positions, max))
      return rows.map(toMessage)
    },
    async commit(offsets) {
      // Commits go through their own pool, not the control connection, so a member whose
      // locks are gone (its connection dropped mid-batch) can still commit after its
      // successor did: only a newer offset may replace the stored one.
      await offsetDb.query(COMMIT, commitParams(groupId, offsets))
    },
    async fetchAndCommit(positions, max, offsets) {
      // On the commit pool: the statement writes, and need not wait for the disk either.
      const { rows } = await offsetDb.query<LogRow>(FETCH_AND_COMMIT, [...fetchParams(positions, max), ...commitParams(groupId, offsets)])
      return rows.map(toMessage)
    },
    onWake(fn) {
      wakeFn = fn
    },
    async leave() {
      // A member whose connection is already gone has left anyway (its row is swept by the others).
      await q('DELETE FROM bus_members WHERE group_id = $1 AND member_id = $2', [groupId, memberId])
        .then(() => q('SELECT pg_notify($1, $2)', [GROUP_CHANNEL, groupId]))
        .catch(() => {})
      await closeClient(control)
      o.onGone()
    },
    kill() {
      // As a crashed process: the socket goes, the server drops the locks.
      ;(control as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy()
      o.onGone()
    },
  }
  return backend
}
