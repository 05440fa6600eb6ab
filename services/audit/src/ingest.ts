import type { Batch, Db, EventCodec, Message } from '@brokerage/platform'
import { EVENT_HEADERS } from '@brokerage/platform'
import { lockHead, type Appender, type NewRow } from './log.js'

// Every record of every topic, stored once. A batch is one partition's records in offset
// order; the partition's next offset lives in the same transaction as the rows, so a batch
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
  return async function handleBatch(batch: Batch): Promise<void> {
    // Decoded before the chain is locked, so the lock is held only for the write.
    const rows = await Promise.all(batch.messages.map((m) => toRow(deps.codec, m)))
    const stored = await deps.db.tx(async (tx) => {
      const head = await lockHead(tx)
      const { rows: offsets } = await tx.query<{ next_offset: number }>(
        'SELECT next_offset FROM ingest_offsets WHERE topic = $1 AND partition = $2',
        [batch.topic, batch.partition],
      )
      const next = offsets[0]?.next_offset ?? 0
      const fresh = rows.filter((r) => r.offset >= next)
      if (!fresh.length) return 0
      await deps.append(tx, head, fresh, deps.now())
      await tx.query(
        `INSERT INTO ingest_offsets (topic, partition, next_offset) VALUES ($1, $2, $3)
         ON CONFLICT (topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset`,
        [batch.topic, batch.partition, fresh[fresh.length - 1]!.offset + 1],
      )
      return fresh.length
    })
    deps.onStored?.(stored)
  }
}
