import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { isoInstant } from '../date-time.js'
import * as json from '../json.js'
import { badField, principalOf } from '../request-context.js'
import { analyticsJson, auditEventJson, complianceReportJson, dateTime, pageOf, pageQuery, query, responses, uuid } from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

const ADMIN_OR_OWN = ['ADMIN', 'CUSTOMER'] as const
const ADMIN = ['ADMIN'] as const

type Period = { from?: string; to?: string }
type ListEvents = { Querystring: { orderId?: string; customerId?: string; page: number; size: number } }
type ComplianceReport = { Querystring: Period & { customerId?: string } }
type Analytics = { Querystring: Period }

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
    let customerId = q.customerId ?? ''
    if (p.role === 'CUSTOMER') {
      if (q.orderId !== undefined) await access.order(p, q.orderId)
      customerId = await access.target(p, q.customerId, 'querystring.customerId')
    }
    const res = await clients.call('audit', 'ListEvents', {
      order_id: q.orderId ?? '',
      customer_id: customerId,
      page: { page: q.page, size: q.size },
    })
    return json.page(res, json.auditEvent, q)
  }

  async function complianceReport(req: FastifyRequest<ComplianceReport>) {
    const p = principalOf(req)
    const q = req.query
    const from = isoInstant(q.from, 'querystring.from')
    const to = isoInstant(q.to, 'querystring.to')
    if (from && to && from >= to) throw badField('querystring.to', 'must be after from')
    const customerId = p.role === 'CUSTOMER' ? await access.target(p, q.customerId, 'querystring.customerId') : (q.customerId ?? '')
    const r = await clients.call('audit', 'GetComplianceReport', { from, to, customer_id: customerId })
    return json.complianceReport(r)
  }

  async function analytics(req: FastifyRequest<Analytics>) {
    const res = await clients.call('audit', 'GetAnalytics', {
      from: isoInstant(req.query.from, 'querystring.from'),
      to: isoInstant(req.query.to, 'querystring.to'),
    })
    return json.analytics(res)
  }
}

const period = { from: { ...dateTime, description: 'inclusive' }, to: { ...dateTime, description: 'exclusive' } }

const schemas = {
  listEvents: {
    ...doc('audit', 'The audit trail of an order or a customer (a customer: their own)', { roles: ADMIN_OR_OWN }),
    querystring: query({ orderId: uuid, customerId: uuid, ...pageQuery }),
    response: responses(200, pageOf(auditEventJson), 'A page of stored events, newest first'),
  },
  complianceReport: {
    ...doc('audit', 'Compliance report: the events of a period with the hash chain verified', { roles: ADMIN_OR_OWN }),
    querystring: query({ ...period, customerId: uuid }),
    response: responses(200, complianceReportJson, 'The report'),
  },
  analytics: {
    ...doc('audit', 'Volume per asset and day, orders by status, saga durations', { roles: ADMIN }),
    querystring: query(period),
    response: responses(200, analyticsJson, 'Analytics'),
  },
}
