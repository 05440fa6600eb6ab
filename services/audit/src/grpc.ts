import { EVENTS, isEventType, isInstantInRange, isUuid } from '@brokerage/contracts'
import { fieldErrors, type FieldErrors, type GrpcHandlers } from '@brokerage/platform'
import type { Queryable } from '@brokerage/platform/postgres'
import { analytics } from './analytics.js'
import { balancesBefore, reportLines, type Balance } from './report.js'
import { trace, type TraceStep } from './trace.js'

// brokerage.audit.v1.AuditService. The gateway has decided whose trail the caller may read
// and passes it as customer_id; every filter here is an exact match on indexed columns.

const DEFAULT_PAGE_SIZE = 20
const MAX_PAGE_SIZE = 100
const DEFAULT_LINES = 1000
const MAX_LINES = 5000
const MAX_CORRELATION_ID = 200

function uuidOrNull(errors: FieldErrors, field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  if (!isUuid(value)) {
    errors.add(field, 'must be a UUID')
    return null
  }
  return value.toLowerCase()
}

/** An ISO-8601 instant with its zone, or null when absent. */
function instantOrNull(errors: FieldErrors, field: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null
  const at = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : null
  if (!at || Number.isNaN(at.getTime())) {
    errors.add(field, 'must be an ISO-8601 date-time with a zone')
    return null
  }
  if (!isInstantInRange(at.getTime())) {
    errors.add(field, 'must be an instant from year 0001 to 9999 (UTC)')
    return null
  }
  return at.toISOString()
}

function period(errors: FieldErrors, r: { from?: unknown; to?: unknown }) {
  const from = instantOrNull(errors, 'from', r.from)
  const to = instantOrNull(errors, 'to', r.to)
  if (from && to && from >= to) errors.add('to', 'must be after from')
  return { from, to }
}

const serviceOf = (type: string) => (isEventType(type) ? EVENTS[type].producer : '')

function toAuditEvent(s: TraceStep) {
  return {
    sequence: s.sequence,
    event_id: s.eventId ?? '',
    type: s.type,
    version: s.version,
    topic: s.topic,
    key: s.key,
    occurred_at: s.occurredAt,
    recorded_at: s.recordedAt,
    correlation_id: s.correlationId ?? '',
    causation_id: s.causationId ?? '',
    data_json: s.data === null ? '' : JSON.stringify(s.data),
    hash: s.hash,
    prev_hash: s.prevHash,
    service: serviceOf(s.type),
    since_previous_ms: s.sincePreviousMs,
    partition: s.partition,
    offset: s.offset,
  }
}

const toBalance = (b: Balance) => ({ asset_name: b.assetName, size: b.size })

export function createAuditGrpc(deps: { db: Queryable; now: () => Date }): GrpcHandlers<'audit'> {
  return {
    async ListEvents(request) {
      const errors = fieldErrors('invalid ListEvents request')
      const orderId = uuidOrNull(errors, 'order_id', request.order_id)
      const customerId = uuidOrNull(errors, 'customer_id', request.customer_id)
      const correlationId = request.correlation_id || null
      if (correlationId && correlationId.length > MAX_CORRELATION_ID)
        errors.add('correlation_id', `at most ${MAX_CORRELATION_ID} characters`)
      if (!orderId && !customerId && !correlationId && !request.order_id && !request.customer_id) {
        errors.add('order_id', 'one of order_id, customer_id or correlation_id is required')
      }
      const page = request.page?.page ?? 0
      const size = request.page?.size || DEFAULT_PAGE_SIZE
      if (!Number.isInteger(page) || page < 0 || page > 1_000_000) errors.add('page.page', 'must be between 0 and 1000000')
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) errors.add('page.size', `must be between 1 and ${MAX_PAGE_SIZE}`)
      errors.done()
      const { steps, total } = await trace(deps.db, { orderId, customerId, correlationId, page, size })
      return { content: steps.map(toAuditEvent), page: { page, size, total_elements: total } }
    },

    async GetComplianceReport(request) {
      const errors = fieldErrors('invalid GetComplianceReport request')
      const customerId = uuidOrNull(errors, 'customer_id', request.customer_id)
      if (!customerId && !request.customer_id) errors.add('customer_id', 'is required')
      const { from, to } = period(errors, request)
      const after = request.after_sequence ?? 0
      const limit = request.limit || DEFAULT_LINES
      if (!Number.isSafeInteger(after) || after < 0) errors.add('after_sequence', 'must be 0 or more')
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LINES) errors.add('limit', `must be between 1 and ${MAX_LINES}`)
      errors.done()
      const [opening, closing, page] = await Promise.all([
        from ? balancesBefore(deps.db, customerId!, from) : Promise.resolve([]),
        balancesBefore(deps.db, customerId!, to),
        reportLines(deps.db, { customerId: customerId!, from, to, afterSequence: after, limit }),
      ])
      const head = (await deps.db.query<{ hash: string }>('SELECT hash FROM chain_head')).rows[0]!
      return {
        generated_at: deps.now().toISOString(),
        from: from ?? '',
        to: to ?? '',
        customer_id: customerId!,
        chain_intact: page.intact,
        first_broken_sequence: 0,
        head_hash: head.hash,
        event_count: page.lines.length,
        events: [],
        opening: opening.map(toBalance),
        closing: closing.map(toBalance),
        lines: page.lines.map((l) => ({
          sequence: l.sequence,
          occurred_at: l.occurredAt,
          kind: l.kind,
          event_type: l.eventType,
          event_id: l.eventId,
          reference_id: l.referenceId,
          order_id: l.orderId,
          asset_name: l.assetName,
          side: l.side,
          size: l.size,
          price: l.price,
          amount: l.amount,
          status: l.status,
          reason: l.reason,
          changes: l.changes.map(toBalance),
        })),
        next_after_sequence: page.nextAfter,
      }
    },

    async GetAnalytics(request) {
      const errors = fieldErrors('invalid GetAnalytics request')
      const p = period(errors, request)
      errors.done()
      const a = await analytics(deps.db, p)
      const sagas = a.sagas.map((s) => ({
        name: s.name,
        count: s.count,
        p50_ms: s.p50Ms,
        p95_ms: s.p95Ms,
        p99_ms: s.p99Ms,
        max_ms: s.maxMs,
      }))
      return {
        volume: a.volume.map((v) => ({ asset_name: v.assetName, day: v.day, size: v.size, notional: v.notional, trades: v.trades })),
        order_statuses: a.orderStatuses,
        saga_durations: sagas.find((s) => s.name === 'CREATED_TO_MATCHED') ?? null,
        sagas,
        reasons: a.reasons.map((r) => ({ event_type: r.eventType, reason: r.reason, count: r.count })),
      }
    },
  }
}
