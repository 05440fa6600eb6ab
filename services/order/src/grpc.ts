import { ASSET_NAME, ASSET_NAME_RULE, CASH_ASSET, isUuid, MAX_AMOUNT } from '@brokerage/contracts'
import { fieldErrors, type CallContext, type GrpcHandlers } from '@brokerage/platform'
import type { Actor__Output as Actor } from '@brokerage/contracts/grpc'
import { ORDER_STATUSES, SIDES, type OrderStatus, type Side } from './domain.js'
import type { Orders } from './orders.js'
import { waitWhilePending, type StatusListener } from './status-listener.js'
import type { HistoryRow, OrderFilter, OrderRow, TradeRow } from './store.js'

// brokerage.order.v1.OrderService: request validation (every bad field reported at once,
// nothing touched) and mapping between proto messages (snake_case, enums as names, int64
// as numbers) and the order service's rows.

export const MAX_WAIT_MS = 30_000
const MAX_PAGE_SIZE = 100
const DEFAULT_PAGE_SIZE = 20
const MAX_IDEMPOTENCY_KEY = 255
// A broker's customers, resolved by the gateway; 50 000 UUIDs stay well inside gRPC's 4 MB message.
const MAX_CUSTOMER_IDS = 50_000

function checker() {
  const problems = fieldErrors()
  return {
    ...problems,
    uuid(field: string, value: unknown, required: boolean) {
      if (value === '' || value === undefined || value === null) {
        if (required) problems.add(field, 'is required')
      } else if (!isUuid(value)) problems.add(field, 'must be a UUID')
    },
    positive(field: string, value: unknown) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_AMOUNT) {
        problems.add(field, `must be a positive integer no larger than ${MAX_AMOUNT}`)
        return false
      }
      return true
    },
  }
}

function checkAssetName(c: ReturnType<typeof checker>, field: string, value: unknown) {
  if (typeof value !== 'string' || !ASSET_NAME.test(value)) c.add(field, `must be ${ASSET_NAME_RULE}`)
  else if (value === CASH_ASSET) c.add(field, `${CASH_ASSET} is the cash asset and cannot be ordered`)
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/

/** An ISO-8601 date (UTC midnight) or date-time with its zone; null when it is not one (Date.parse alone accepts 30 February). */
export function parseIsoDate(value: string): Date | null {
  const m = DATE.exec(value)
  if (!m) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  if (day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d)) return null
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null
  const at = new Date(m[4] === undefined ? `${value}T00:00:00Z` : value)
  return Number.isNaN(at.getTime()) ? null : at
}

function page(c: ReturnType<typeof checker>, p: { page?: number; size?: number } | null | undefined) {
  const number = p?.page ?? 0
  const size = p?.size || DEFAULT_PAGE_SIZE
  if (!Number.isInteger(number) || number < 0) c.add('page.page', 'must be 0 or more')
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
    c.add('page.size', `must be between 1 and ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`)
  return { page: number, size }
}

const iso = (d: Date) => d.toISOString()

export function toOrder(o: OrderRow, history: HistoryRow[] = []) {
  return {
    id: o.id,
    customer_id: o.customerId,
    asset_name: o.assetName,
    side: o.side,
    size: o.size,
    price: o.price,
    filled_size: o.filledSize,
    status: o.status,
    rejection_reason: o.rejectionReason ?? '',
    created_at: iso(o.createdAt),
    updated_at: iso(o.updatedAt),
    history: history.map((h) => ({
      status: h.status,
      at: iso(h.at),
      event_id: h.eventId ?? '',
      event_type: h.eventType ?? '',
      reason: h.reason ?? '',
    })),
  }
}

const toTrade = (t: TradeRow) => ({
  trade_id: t.tradeId,
  order_id: t.orderId,
  asset_name: t.assetName,
  side: t.side,
  size: t.size,
  price: t.price,
  settled_at: iso(t.settledAt),
})

const requestIdOf = (actor: Actor | null | undefined, ctx: CallContext) => actor?.request_id || ctx.requestId

export function createOrderGrpc(deps: { orders: Orders; listener: StatusListener }): GrpcHandlers<'order'> {
  const { orders, listener } = deps
  return {
    async CreateOrder(req, ctx) {
      const c = checker()
      c.uuid('customer_id', req.customer_id, true)
      checkAssetName(c, 'asset_name', req.asset_name)
      if (!SIDES.includes(req.side as Side)) c.add('side', 'must be BUY or SELL')
      const sizeOk = c.positive('size', req.size)
      const priceOk = c.positive('price', req.price)
      if (sizeOk && priceOk && req.size * req.price > MAX_AMOUNT) c.add('price', `size × price must be no larger than ${MAX_AMOUNT}`)
      if (!Number.isInteger(req.wait_ms) || req.wait_ms < 0 || req.wait_ms > MAX_WAIT_MS)
        c.add('wait_ms', `must be between 0 and ${MAX_WAIT_MS}`)
      if (req.idempotency_key.length > MAX_IDEMPOTENCY_KEY) c.add('idempotency_key', `must be at most ${MAX_IDEMPOTENCY_KEY} characters`)
      c.done()

      const created = await orders.create({
        customerId: req.customer_id.toLowerCase(),
        assetName: req.asset_name,
        side: req.side as Side,
        size: req.size,
        price: req.price,
        idempotencyKey: req.idempotency_key || undefined,
        requestId: requestIdOf(req.actor, ctx),
      })
      let order = created.order
      if (req.wait_ms > 0 && order.status === 'PENDING') {
        // A new order is not read again: from its commit to the subscription nothing but this
        // call's own continuation runs (no I/O in between), and any change to it needs I/O.
        // A replayed one was placed by another call and may have moved since it was read.
        const known = created.replayed ? undefined : order
        order = await waitWhilePending(listener, order.id, req.wait_ms, () => orders.read(created.order.id), known)
      }
      return { order: toOrder(order), replayed: created.replayed }
    },

    async GetOrder(req) {
      const c = checker()
      c.uuid('id', req.id, true)
      c.done()
      const { order, history } = await orders.get(req.id.toLowerCase())
      return toOrder(order, history)
    },

    async ListOrders(req) {
      const c = checker()
      const p = page(c, req.page)
      c.uuid('customer_id', req.customer_id, false)
      c.uuid('broker_id', req.broker_id, false)
      const customerIds = req.customer_ids ?? []
      if (customerIds.length > MAX_CUSTOMER_IDS) c.add('customer_ids', `at most ${MAX_CUSTOMER_IDS} ids`)
      else customerIds.forEach((id, i) => c.uuid(`customer_ids[${i}]`, id, true))
      if (req.asset_name && !ASSET_NAME.test(req.asset_name)) c.add('asset_name', `must be ${ASSET_NAME_RULE}`)
      const side = req.side && req.side !== 'SIDE_UNSPECIFIED' ? req.side : undefined
      if (side !== undefined && !SIDES.includes(side as Side)) c.add('side', 'must be BUY or SELL')
      const status = req.status && req.status !== 'ORDER_STATUS_UNSPECIFIED' ? req.status : undefined
      if (status !== undefined && !ORDER_STATUSES.includes(status as OrderStatus)) c.add('status', 'is not an order status')
      const startDate = req.start_date ? parseIsoDate(req.start_date) : undefined
      const endDate = req.end_date ? parseIsoDate(req.end_date) : undefined
      if (startDate === null) c.add('start_date', 'must be an ISO-8601 date or date-time with a zone')
      if (endDate === null) c.add('end_date', 'must be an ISO-8601 date or date-time with a zone')
      if (startDate && endDate && endDate <= startDate) c.add('end_date', 'must be after start_date')
      c.done()

      const filter: OrderFilter = {
        customerId: req.customer_id.toLowerCase() || undefined,
        brokerId: req.broker_id.toLowerCase() || undefined,
        customerIds: customerIds.length ? customerIds.map((id) => id.toLowerCase()) : undefined,
        assetName: req.asset_name || undefined,
        side: side as Side | undefined,
        status: status as OrderStatus | undefined,
        startDate: startDate ?? undefined,
        endDate: endDate ?? undefined,
      }
      const { rows, total } = await orders.list(filter, p)
      return { content: rows.map((o) => toOrder(o)), page: { page: p.page, size: p.size, total_elements: total } }
    },

    async CancelOrder(req, ctx) {
      const c = checker()
      c.uuid('id', req.id, true)
      c.done()
      return toOrder(await orders.cancel(req.id.toLowerCase(), requestIdOf(req.actor, ctx)))
    },

    async MatchOrder(req, ctx) {
      const c = checker()
      c.uuid('id', req.id, true)
      // Recorded as requestedBy in MatchRequested (the audit trail of who filled an order).
      if (!req.actor?.subject) c.add('actor.subject', 'is required')
      c.done()
      return toOrder(await orders.match(req.id.toLowerCase(), req.actor!.subject, requestIdOf(req.actor, ctx)))
    },

    async ListTrades(req) {
      const c = checker()
      c.uuid('order_id', req.order_id, true)
      c.done()
      return { trades: (await orders.trades(req.order_id.toLowerCase())).map(toTrade) }
    },
  }
}
