import type { Batch, Db, EventCodec, Message } from '@brokerage/platform'
import { EVENT_HEADERS } from '@brokerage/platform'
import { lockHead, type Appender, type NewRow } from './log.js'

// Every record of every topic, stored once. A batch is one partition's records in offset
// order; each partition's next offset lives in the same transaction as the rows, so a batch
// the bus redelivers (its commit lagging ours) stores nothing twice.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Orders and customers an event's data names: its own fields and a trade's two sides. */
export function subjectsOf(data: unknown): { orderIds: string[]; customerIds: string[] } {
  const orders = new Set<string>()
  const customers = new Set<string>()
  const take = (o: unknown) => {
    if (!o || typeof o !== 'object') return
    const { orderId, customerId } = o as { orderId?: unknown; customerId?: unknown }
    if (typeof orderId === 'string' && UUID.test(orderId)) orders.add(orderId.toLowerCase())
    if (typeof customerId === 'string' && UUID.test(customerId)) customers.add(customerId.toLowerCase())
  }
  take(data)
  if (data && typeof data === 'object') {
    const { buy, sell } = data as { buy?: unknown; sell?: unknown }
    take(buy)
    take(sell)
  }
  return { orderIds: [...orders].sort(), customerIds: [...customers].sort() }
}

/** A record as a log row: decoded when it can be, else its bytes and headers, so nothing is lost. */
export async function toRow(codec: EventCodec, m: Message): Promise<NewRow> {
  const base = { topic: m.topic, partition: m.partition, offset: m.offset, key: m.key, headers: m.headers }
  try {
    const e = await codec.decode(m.value)
    return {
      ...base,
      eventId: e.id,
      type: e.type,
      version: e.version,
      occurredAt: new Date(e.occurredAt).toISOString(),
      correlationId: e.correlationId,
      causationId: e.causationId,
      traceparent: e.traceparent,
      data: e.data,
      raw: null,
      ...subjectsOf(e.data),
    }
  } catch {
    const id = m.headers[EVENT_HEADERS.id]
    return {
      ...base,
      eventId: id && UUID.test(id) ? id.toLowerCase() : null,
      type: m.headers[EVENT_HEADERS.type] ?? 'UNDECODABLE',
      version: 0,
      occurredAt: m.timestamp.toISOString(),
      correlationId: m.headers[EVENT_HEADERS.correlationId] ?? null,
      causationId: null,
      traceparent: m.headers[EVENT_HEADERS.traceparent] ?? null,
      data: null,
      raw: m.value.toString('base64'),
      orderIds: [],
      customerIds: [],
    }
  }
}

export function createIngester(deps: { db: Db; codec: EventCodec; append: Appender; now: () => Date; onStored?: (n: number) => void }) {
  /**
   * The batches of one or more partitions in one transaction: one lock of the chain, one read and
   * one write of their next offsets, one append. Statements per transaction stay the same however
   * many partitions a fetch brought, so a busy platform costs the audit log less per event.
   */
  async function handleBatches(batches: Batch[]): Promise<boolean> {
    // Decoded before the chain is locked, so the lock is held only for the write.
    const rows = await Promise.all(batches.map((b) => Promise.all(b.messages.map((m) => toRow(deps.codec, m)))))
    const stored = await deps.db.tx(async (tx) => {
      const head = await lockHead(tx)
      const { rows: offsets } = await tx.query<{ topic: string; partition: number; next_offset: number }>(
        `SELECT topic, partition, next_offset FROM ingest_offsets
         WHERE (topic, partition) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
        [batches.map((b) => b.topic), batches.map((b) => b.partition)],
      )
      const nextOf = new Map(offsets.map((o) => [`${o.topic}/${o.partition}`, Number(o.next_offset)]))
      const fresh = rows.flatMap((rs, i) =>
        rs.filter((r) => r.offset >= (nextOf.get(`${batches[i]!.topic}/${batches[i]!.partition}`) ?? 0)),
      )
      if (!fresh.length) return 0
      await deps.append(tx, head, fresh, deps.now())
      const moved = batches.flatMap((b) => {
        const last = b.messages[b.messages.length - 1]
        return last && last.offset >= (nextOf.get(`${b.topic}/${b.partition}`) ?? 0) ? [{ ...b, next: last.offset + 1 }] : []
      })
      await tx.query(
        `INSERT INTO ingest_offsets (topic, partition, next_offset) SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[])
         ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
        [moved.map((b) => b.topic), moved.map((b) => b.partition), moved.map((b) => b.next)],
      )
      return fresh.length
    })
    deps.onStored?.(stored)
    return true
  }
  return {
    handleBatches,
    async handleBatch(batch: Batch): Promise<void> {
      await handleBatches([batch])
    },
  }
}
