import type { Db, Queryable } from '../postgres/db.js'
import { currentTraceparent } from '../observability/tracing.js'
import { EVENT_HEADERS, type EventCodec, type EventEnvelope } from './types.js'

export const OUTBOX_CHANNEL = 'outbox'

export const OUTBOX_MIGRATIONS = [
  {
    name: '001_outbox_inbox.sql',
    sql: `
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        key text NOT NULL,
        value bytea NOT NULL,
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE TABLE inbox (
        group_id text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, event_id)
      );
    `,
  },
]

export type Outbox = ReturnType<typeof createOutbox>

/**
 * The transactional outbox: events are written in the caller's transaction, so an event
 * exists if and only if the state change that caused it was committed. The relay
 * publishes them afterwards. Encoding happens here, so an event that does not match its
 * schema fails the caller's transaction with a clear error instead of reaching the broker.
 */
export interface OutboxOptions {
  db?: Db
  /**
   * The relay of this process, if it has one: while it leads, it is woken directly,
   * without a round trip through the database.
   */
  localRelay?: () => { isLeader(): boolean; wake(): void } | undefined
}

/**
 * Encoded outbox rows for a statement of the caller's own: a placement that writes its row and
 * its events in one autocommit statement, without BEGIN/COMMIT. The one way to build an outbox
 * row, `add` included.
 */
export interface OutboxRows {
  /** The four column arrays, to go at the positions `insert` is given. */
  params: [topics: string[], keys: string[], values: Buffer[], headers: string[]]
  /**
   * The INSERT (a CTE of the caller's statement) that writes the rows from the parameters
   * `$at` … `$at+3`; `when`, a condition, writes them only if it holds (e.g. "the order was inserted").
   */
  insert(at: number, when?: string): string
}

const insertRows = (at: number, when?: string) =>
  `INSERT INTO outbox (topic, key, value, headers)
   SELECT * FROM unnest($${at}::text[], $${at + 1}::text[], $${at + 2}::bytea[], $${at + 3}::jsonb[])${when ? ` WHERE ${when}` : ''}`

export function createOutbox(codec: EventCodec, opts: OutboxOptions = {}) {
  const notify = opts.db ? createWakeUp(opts.db) : () => {}
  const wake = () => {
    const relay = opts.localRelay?.()
    if (relay?.isLeader()) relay.wake()
    else notify()
  }
  function written(tx?: Queryable): void {
    if (!tx) wake()
    else opts.db?.afterCommit(tx, wake)
  }
  async function rows(given: EventEnvelope[]): Promise<OutboxRows> {
    // The trace continues through the broker: the envelope carries the current span.
    const traceparent = currentTraceparent()
    const events = given.map((e) => (e.traceparent || !traceparent ? e : { ...e, traceparent }))
    const encoded = await Promise.all(events.map((e) => codec.encode(e)))
    return {
      params: [
        events.map((e) => codec.topicOf(e.type)),
        events.map((e) => e.key),
        encoded,
        events.map((e) => JSON.stringify(headersOf(e))),
      ],
      insert: insertRows,
    }
  }
  return {
    async add(tx: Queryable, ...given: EventEnvelope[]): Promise<void> {
      if (!given.length) return
      const r = await rows(given)
      await tx.query(r.insert(1), r.params)
      written(tx)
    },
    /**
     * The rows of `given`, encoded (a schema violation throws here, before anything is sent),
     * for the caller to write in a statement of its own (`insert` as one of its CTEs), so the
     * state change and its events cost one round trip. Then call `written`.
     */
    rows: (...given: EventEnvelope[]): Promise<OutboxRows> => rows(given),
    /**
     * Rows from `rows` were written: in `tx`'s transaction, the relay is woken at its commit
     * (as `add` does); without `tx`, by an autocommit statement that succeeded, it is woken now.
     */
    written,
  }
}

export function headersOf(e: EventEnvelope): Record<string, string> {
  const h: Record<string, string> = {
    [EVENT_HEADERS.id]: e.id,
    [EVENT_HEADERS.type]: e.type,
    [EVENT_HEADERS.correlationId]: e.correlationId,
  }
  if (e.traceparent) h[EVENT_HEADERS.traceparent] = e.traceparent
  return h
}

/**
 * Wakes the relay (in whichever process holds it) after a commit. The NOTIFY is sent in
 * its own tiny transaction, not in the caller's: a NOTIFY inside a transaction holds a
 * global lock through its commit, which would serialize every producing transaction.
 * Wake-ups that come while one is in flight are folded into a single follow-up.
 */
function createWakeUp(db: Db) {
  let inFlight = false
  let again = false
  const send = (): void => {
    if (inFlight) {
      again = true
      return
    }
    inFlight = true
    db.query('SELECT pg_notify($1, $2)', [OUTBOX_CHANNEL, ''])
      .catch(() => {}) // the relay's idle poll picks the rows up anyway
      .finally(() => {
        inFlight = false
        if (again) {
          again = false
          send()
        }
      })
  }
  return send
}
