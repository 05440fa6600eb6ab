import { Readable } from 'node:stream'
import type * as pb from '@brokerage/contracts/grpc'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { isoInstant } from '../date-time.js'
import * as json from '../json.js'
import { badField, principalOf } from '../request-context.js'
import { analyticsJson, auditEventJson, complianceReportJson, dateTime, pageOf, pageQuery, query, responses, uuid } from '../schemas.js'
import { sidesOfTrade, type Trade } from '../trade-sides.js'
import { doc, type RouteDeps } from './deps.js'

const ADMIN_OR_OWN = ['ADMIN', 'CUSTOMER'] as const
const ADMIN = ['ADMIN'] as const

type Period = { from?: string; to?: string }
type ListEvents = { Querystring: { orderId?: string; customerId?: string; correlationId?: string; page: number; size: number } }
type ComplianceReport = { Querystring: Period & { customerId?: string; format: 'json' | 'csv' } }
type Analytics = { Querystring: Period }

/** Lines per call to the audit service while a report streams out: a year is never held whole. */
const REPORT_PAGE = 1000

export function auditRoutes({ clients, access }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.get<ListEvents>('/audit/events', { config: { roles: ADMIN_OR_OWN }, schema: schemas.listEvents }, listEvents)
    api.get<ComplianceReport>(
      '/audit/reports/compliance',
      { config: { roles: ADMIN_OR_OWN }, schema: schemas.complianceReport },
      complianceReport,
    )
    api.get<Analytics>('/audit/analytics', { config: { roles: ADMIN }, schema: schemas.analytics }, analytics)
  }

  async function listEvents(req: FastifyRequest<ListEvents>) {
    const p = principalOf(req)
    const q = req.query
    if (p.role !== 'CUSTOMER' && q.orderId === undefined && q.customerId === undefined && q.correlationId === undefined) {
      throw badField('querystring', 'one of orderId, customerId or correlationId is required')
    }
    let customerId = q.customerId ?? ''
    if (p.role === 'CUSTOMER') {
      if (q.orderId !== undefined) await access.order(p, q.orderId)
      // A customer's trail is what names them, whatever else they filter by.
      customerId = await access.target(p, q.customerId, 'querystring.customerId')
    }
    const res = await clients.call('audit', 'ListEvents', {
      order_id: q.orderId ?? '',
      customer_id: customerId,
      correlation_id: q.correlationId ?? '',
      page: { page: q.page, size: q.size },
    })
    // A customer's trail shows a trade as the live feed does: their own side only.
    const viewer = p.role === 'CUSTOMER' ? customerId : null
    return json.page(res, (e) => auditEvent(e, viewer), q)
  }

  async function complianceReport(req: FastifyRequest<ComplianceReport>, reply: FastifyReply) {
    const p = principalOf(req)
    const q = req.query
    const from = isoInstant(q.from, 'querystring.from')
    const to = isoInstant(q.to, 'querystring.to')
    if (from && to && from >= to) throw badField('querystring.to', 'must be after from')
    const customerId = await access.target(p, q.customerId, 'querystring.customerId')
    const call = (after: number) =>
      clients.call('audit', 'GetComplianceReport', { from, to, customer_id: customerId, after_sequence: after, limit: REPORT_PAGE })
    // The first page before the answer starts, so a refusal is still an error response.
    const first = await call(0)
    async function* pages() {
      let page = first
      yield page
      while (page.next_after_sequence) {
        page = await call(page.next_after_sequence)
        yield page
      }
    }
    const name = `compliance-${customerId}-${(from || 'start').slice(0, 10)}-${(to || first.generated_at).slice(0, 10)}`
    if (q.format === 'csv') {
      reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`)
      return reply.send(Readable.from(csv(first, pages())))
    }
    reply.type('application/json; charset=utf-8')
    return reply.send(Readable.from(jsonReport(first, pages())))
  }

  async function analytics(req: FastifyRequest<Analytics>) {
    const from = isoInstant(req.query.from, 'querystring.from')
    const to = isoInstant(req.query.to, 'querystring.to')
    if (from && to && from >= to) throw badField('querystring.to', 'must be after from')
    const a = await clients.call('audit', 'GetAnalytics', { from, to })
    return {
      from: from || null,
      to: to || null,
      volume: a.volume.map((v) => ({ assetName: v.asset_name, day: v.day, size: v.size, notional: v.notional, trades: v.trades })),
      orderStatuses: a.order_statuses.map((s) => ({ status: s.status, orders: s.orders })),
      sagaDurations: a.sagas.map((s) => ({
        name: s.name,
        count: s.count,
        p50Ms: s.p50_ms,
        p95Ms: s.p95_ms,
        p99Ms: s.p99_ms,
        maxMs: s.max_ms,
      })),
      reasons: a.reasons.map((r) => ({ eventType: r.event_type, reason: r.reason, count: r.count })),
    }
  }
}

const orNull = (s: string): string | null => (s === '' ? null : s)

/** A stored event as `viewer` may see it: staff (null) see what was stored, a customer their own side of a trade. */
function auditEvent(e: pb.AuditEvent__Output, viewer: string | null) {
  let data: unknown
  try {
    data = e.data_json === '' ? null : JSON.parse(e.data_json)
  } catch {
    // The audit log is evidence: show what was stored rather than fail the whole page.
    data = e.data_json
  }
  if (viewer !== null && e.type === 'OrderMatched') {
    // Whatever did not decode as a trade shows nothing rather than risk the other side.
    const trade = data !== null && typeof data === 'object' ? (data as Trade) : null
    data = (trade && sidesOfTrade(trade).find((s) => s.customerId === viewer)?.view) ?? null
  }
  return {
    sequence: e.sequence,
    eventId: orNull(e.event_id),
    type: e.type,
    version: e.version,
    service: orNull(e.service),
    topic: e.topic,
    partition: e.partition,
    offset: e.offset,
    key: e.key,
    occurredAt: e.occurred_at,
    sincePreviousMs: e.since_previous_ms,
    recordedAt: e.recorded_at,
    correlationId: orNull(e.correlation_id),
    causationId: orNull(e.causation_id),
    data,
    hash: e.hash,
    prevHash: e.prev_hash,
  }
}

const balance = (b: pb.DerivedBalance__Output) => ({ assetName: b.asset_name, size: b.size })

function line(l: pb.ComplianceLine__Output) {
  return {
    sequence: l.sequence,
    occurredAt: l.occurred_at,
    kind: l.kind,
    eventType: l.event_type,
    eventId: l.event_id,
    referenceId: l.reference_id,
    orderId: orNull(l.order_id),
    assetName: l.asset_name,
    side: orNull(l.side),
    size: l.size,
    price: l.price,
    amount: l.amount,
    status: l.status,
    reason: orNull(l.reason),
    changes: l.changes.map(balance),
  }
}

/** The report as one JSON document, written a page at a time. */
async function* jsonReport(first: pb.ComplianceReport__Output, pages: AsyncIterable<pb.ComplianceReport__Output>) {
  const head = {
    customerId: first.customer_id,
    from: orNull(first.from),
    to: orNull(first.to),
    generatedAt: first.generated_at,
    headHash: first.head_hash,
    opening: first.opening.map(balance),
    closing: first.closing.map(balance),
  }
  yield `${JSON.stringify(head).slice(0, -1)},"lines":[`
  let intact = true
  let count = 0
  for await (const page of pages) {
    intact &&= page.chain_intact
    for (const l of page.lines) yield `${count++ ? ',' : ''}${JSON.stringify(line(l))}`
  }
  yield `],"lineCount":${count},"chainIntact":${intact}}`
}

const CSV_COLUMNS = [
  'record',
  'sequence',
  'occurred_at',
  'kind',
  'event_type',
  'event_id',
  'reference_id',
  'order_id',
  'asset_name',
  'side',
  'size',
  'price',
  'amount',
  'status',
  'reason',
  'changes',
  'balance',
] as const

function csvRow(values: Partial<Record<(typeof CSV_COLUMNS)[number], string | number>>): string {
  const cell = (v: string | number | undefined) => {
    const s = v === undefined ? '' : String(v)
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
  }
  return `${CSV_COLUMNS.map((c) => cell(values[c])).join(',')}\r\n`
}

/** OPENING rows, one LINE row per event, CLOSING rows, and the CHAIN row saying whether every line's hash recomputed. */
async function* csv(first: pb.ComplianceReport__Output, pages: AsyncIterable<pb.ComplianceReport__Output>) {
  yield csvRow(Object.fromEntries(CSV_COLUMNS.map((c) => [c, c])))
  for (const b of first.opening) yield csvRow({ record: 'OPENING', occurred_at: first.from, asset_name: b.asset_name, balance: b.size })
  let intact = true
  for await (const page of pages) {
    intact &&= page.chain_intact
    let rows = ''
    for (const l of page.lines) {
      rows += csvRow({
        record: 'LINE',
        sequence: l.sequence,
        occurred_at: l.occurred_at,
        kind: l.kind,
        event_type: l.event_type,
        event_id: l.event_id,
        reference_id: l.reference_id,
        order_id: l.order_id,
        asset_name: l.asset_name,
        side: l.side,
        size: l.size,
        price: l.price,
        amount: l.amount,
        status: l.status,
        reason: l.reason,
        changes: l.changes.map((c) => `${c.asset_name}:${c.size}`).join(';'),
      })
    }
    yield rows
  }
  for (const b of first.closing) yield csvRow({ record: 'CLOSING', occurred_at: first.to, asset_name: b.asset_name, balance: b.size })
  yield csvRow({ record: 'CHAIN', status: intact ? 'INTACT' : 'BROKEN', reference_id: first.head_hash })
}

const period = { from: { ...dateTime, description: 'inclusive' }, to: { ...dateTime, description: 'exclusive' } }

const schemas = {
  listEvents: {
    ...doc('audit', 'The trail of an order, a customer or a correlation, in causal order (a customer: their own)', {
      roles: ADMIN_OR_OWN,
    }),
    querystring: query({ orderId: uuid, customerId: uuid, correlationId: { type: 'string', minLength: 1, maxLength: 200 }, ...pageQuery }),
    response: responses(200, pageOf(auditEventJson), 'A page of stored events, each with the time since the step before'),
  },
  complianceReport: {
    ...doc('audit', 'Compliance report: orders, trades, deposits and withdrawals of a period with opening and closing balances', {
      roles: ADMIN_OR_OWN,
    }),
    querystring: query({ ...period, customerId: uuid, format: { type: 'string', enum: ['json', 'csv'], default: 'json' } }),
    response: responses(200, complianceReportJson, 'The report (streamed; with format=csv, text/csv rows)'),
  },
  analytics: {
    ...doc('audit', 'Volume per asset and day, orders by final status, saga durations, reject and failure reasons', { roles: ADMIN }),
    querystring: query(period),
    response: responses(200, analyticsJson, 'Analytics'),
  },
}
