import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_AMOUNT, type OrderStatus, type Side } from '@brokerage/contracts'
import { AppError } from '@brokerage/platform'
import { isoInstant } from '../date-time.js'
import * as json from '../json.js'
import { actorOf, badField, idempotencyKeyOf, principalOf } from '../request-context.js'
import {
  assetName,
  balanceJson,
  body,
  dateTime,
  idempotencyHeaders,
  idParams,
  orderJson,
  orderStatus,
  orderWithHistoryJson,
  pageOf,
  pageQuery,
  positiveInt,
  query,
  responses,
  side,
  tradeJson,
  uuid,
} from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

const STAFF = ['ADMIN', 'BROKER'] as const
export const MAX_WAIT_SECONDS = 30
// AssetService.ListBalances takes at most this many customer_ids at once.
const MAX_BALANCE_CUSTOMERS = 1000

type ById = { Params: { id: string } }
type ListAssets = { Querystring: { customerId?: string; assetName?: string } }
type PlaceOrder = { Body: { customerId: string; assetName: string; side: Side; size: number; price: number } }
type ListOrders = {
  Querystring: {
    customerId?: string
    assetName?: string
    side?: Side
    status?: OrderStatus
    startDate?: string
    endDate?: string
    page: number
    size: number
  }
}

export function orderRoutes({ clients, access }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.get<ListAssets>('/assets', { schema: schemas.listAssets }, listAssets)
    api.post<PlaceOrder>('/orders', { schema: schemas.placeOrder }, placeOrder)
    api.get<ListOrders>('/orders', { schema: schemas.listOrders }, listOrders)
    api.get<ById>('/orders/:id', { schema: schemas.getOrder }, getOrder)
    api.delete<ById>('/orders/:id', { schema: schemas.cancelOrder }, cancelOrder)
    api.post<ById>('/orders/:id/match', { config: { roles: STAFF }, schema: schemas.matchOrder }, matchOrder)
    api.get<ById>('/orders/:id/trades', { schema: schemas.listTrades }, listTrades)
  }

  async function listAssets(req: FastifyRequest<ListAssets>) {
    const p = principalOf(req)
    const { customerId, assetName: asset = '' } = req.query
    let customerIds: string[]
    if (customerId !== undefined) {
      await access.customer(p, customerId)
      customerIds = [customerId]
    } else if (p.role === 'CUSTOMER') {
      customerIds = [p.customerId!]
    } else if (p.role === 'BROKER') {
      customerIds = await access.brokerCustomerIds(p.brokerId!)
      // An empty list means "every customer" to the asset service: never send it for a broker.
      if (customerIds.length === 0) return []
    } else {
      customerIds = []
    }
    // The asset service answers sorted by customer id: asking in sorted slices keeps that order.
    const slices = customerIds.length === 0 ? [[]] : chunks(customerIds.toSorted(), MAX_BALANCE_CUSTOMERS)
    const answers = await Promise.all(slices.map((ids) => clients.call('asset', 'ListBalances', { customer_ids: ids, asset_name: asset })))
    return answers.flatMap((res) => res.balances.map(json.balance))
  }

  async function placeOrder(req: FastifyRequest<PlaceOrder>, reply: FastifyReply) {
    const p = principalOf(req)
    const b = req.body
    if (b.assetName === 'TRY') throw badField('body.assetName', 'TRY is cash, not a tradable asset')
    // The reservation is size × price minor units: it must stay exact, and fit in an event. (A
    // product beyond MAX_AMOUNT rounds to a number beyond it too, so the comparison holds.)
    if (b.size * b.price > MAX_AMOUNT) {
      throw badField('body.price', `size × price must not exceed ${MAX_AMOUNT}`)
    }
    await access.customer(p, b.customerId)
    const wait = preferredWait(req.headers['prefer'])
    // A write, on the write deadline like every other; Prefer: wait adds the time the order
    // service is asked to wait for the saga before it answers.
    const res = await clients.call(
      'order',
      'CreateOrder',
      {
        actor: actorOf(req),
        idempotency_key: idempotencyKeyOf(req),
        customer_id: b.customerId,
        asset_name: b.assetName,
        side: b.side,
        size: b.size,
        price: b.price,
        wait_ms: wait * 1000,
      },
      { waitMs: wait * 1000 },
    )
    if (!res.order) throw new AppError('INTERNAL', 'order service answered without an order')
    if (wait > 0) reply.header('preference-applied', `wait=${wait}`)
    if (res.replayed) reply.header('idempotent-replayed', 'true')
    return reply.code(wait > 0 && res.order.status !== 'PENDING' ? 200 : 202).send(json.order(res.order))
  }

  async function listOrders(req: FastifyRequest<ListOrders>) {
    const p = principalOf(req)
    const q = req.query
    // Checked here, before any service is asked, as the audit routes check theirs: the error names the API's field.
    const startDate = isoInstant(q.startDate, 'querystring.startDate')
    const endDate = isoInstant(q.endDate, 'querystring.endDate')
    if (startDate && endDate && startDate >= endDate) throw badField('querystring.endDate', 'must be after startDate')
    let customerId = q.customerId ?? ''
    let customerIds: string[] = []
    if (p.role === 'CUSTOMER') {
      customerId = await access.target(p, q.customerId, 'querystring.customerId')
    } else if (p.role === 'BROKER') {
      if (q.customerId !== undefined) await access.customer(p, q.customerId)
      else {
        customerIds = await access.brokerCustomerIds(p.brokerId!)
        // An empty list means "every customer" to the order service: never send it for a broker.
        if (customerIds.length === 0) return { content: [], page: q.page, size: q.size, totalElements: 0 }
      }
    }
    const res = await clients.call('order', 'ListOrders', {
      page: { page: q.page, size: q.size },
      customer_id: customerId,
      customer_ids: customerIds,
      asset_name: q.assetName ?? '',
      side: q.side ?? 'SIDE_UNSPECIFIED',
      status: q.status ?? 'ORDER_STATUS_UNSPECIFIED',
      start_date: startDate,
      end_date: endDate,
    })
    return json.page(res, json.order, q)
  }

  async function getOrder(req: FastifyRequest<ById>) {
    return json.orderWithHistory(await access.order(principalOf(req), req.params.id))
  }

  async function cancelOrder(req: FastifyRequest<ById>, reply: FastifyReply) {
    await access.order(principalOf(req), req.params.id)
    const o = await clients.call('order', 'CancelOrder', { actor: actorOf(req), id: req.params.id })
    return reply.code(202).send(json.order(o))
  }

  async function matchOrder(req: FastifyRequest<ById>, reply: FastifyReply) {
    await access.order(principalOf(req), req.params.id)
    const o = await clients.call('order', 'MatchOrder', { actor: actorOf(req), id: req.params.id })
    return reply.code(202).send(json.order(o))
  }

  async function listTrades(req: FastifyRequest<ById>) {
    await access.order(principalOf(req), req.params.id)
    const res = await clients.call('order', 'ListTrades', { order_id: req.params.id })
    return res.trades.map(json.trade)
  }
}

const schemas = {
  listAssets: {
    ...doc('assets', 'Balances: yours (customer), your customers’ (broker), anyone’s (admin)'),
    querystring: query({ customerId: uuid, assetName }),
    response: responses(200, { type: 'array', items: balanceJson }, 'Balances'),
  },
  placeOrder: {
    ...doc('orders', 'Place a limit order (202 PENDING; `Prefer: wait=N` waits up to N s for a settled status)'),
    headers: {
      ...idempotencyHeaders,
      properties: {
        ...idempotencyHeaders.properties,
        prefer: {
          type: 'string',
          maxLength: 200,
          description: `wait=N (1..${MAX_WAIT_SECONDS}): answer once the order left PENDING`,
        },
      },
    },
    body: body({ customerId: uuid, assetName, side, size: positiveInt, price: positiveInt }, [
      'customerId',
      'assetName',
      'side',
      'size',
      'price',
    ]),
    response: {
      ...responses(202, orderJson, 'The order, still PENDING'),
      200: { description: 'With Prefer: wait, the order once it left PENDING', ...orderJson },
    },
  },
  listOrders: {
    ...doc('orders', 'List orders with filters, newest first'),
    querystring: query({
      customerId: uuid,
      assetName,
      side,
      status: orderStatus,
      startDate: { ...dateTime, description: 'createdAt ≥ startDate' },
      endDate: { ...dateTime, description: 'createdAt < endDate' },
      ...pageQuery,
    }),
    response: responses(200, pageOf(orderJson), 'A page of orders'),
  },
  getOrder: {
    ...doc('orders', 'One order with its status history'),
    params: idParams,
    response: responses(200, orderWithHistoryJson, 'The order'),
  },
  cancelOrder: {
    ...doc('orders', 'Cancel what remains unfilled (202: the engine releases it)'),
    params: idParams,
    response: responses(202, orderJson, 'The order'),
  },
  matchOrder: {
    ...doc('orders', 'Fill the remainder against the outside market at the limit price', { roles: STAFF }),
    params: idParams,
    headers: idempotencyHeaders,
    body: { type: ['object', 'null'], additionalProperties: false, properties: {} },
    response: responses(202, orderJson, 'The order'),
  },
  listTrades: {
    ...doc('orders', 'The fills of one order, newest first'),
    params: idParams,
    response: responses(200, { type: 'array', items: tradeJson }, 'Trades'),
  },
}

const SIMPLE_WAIT = /^wait=(\d{1,6})$/i
const clampWait = (n: number) => (n < 1 ? 0 : Math.min(n, MAX_WAIT_SECONDS))

/**
 * `Prefer: wait=N` (RFC 7240) in whole seconds, at most MAX_WAIT_SECONDS; 0 when absent.
 * Like any preference it is a hint: one the server cannot honour is ignored, not refused.
 */
export function preferredWait(header: string | string[] | undefined): number {
  // What clients send: `wait=N` alone, answered without splitting (this runs on every order).
  if (typeof header === 'string') {
    const m = SIMPLE_WAIT.exec(header)
    if (m) return clampWait(Number(m[1]))
  }
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header]
  for (const pref of values.flatMap((v) => v.split(','))) {
    const [k, v] = pref
      .split(';', 1)[0]!
      .split('=', 2)
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    if (k?.toLowerCase() !== 'wait' || v === undefined || !/^\d{1,6}$/.test(v)) continue
    return clampWait(Number(v))
  }
  return 0
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}
