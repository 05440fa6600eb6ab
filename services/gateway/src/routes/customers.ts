import type { FastifyPluginAsync } from 'fastify'
import type * as pb from '../grpc-types.js'
import * as json from '../json.js'
import { actorOf, badField, forbidden, idempotencyKeyOf, principalOf } from '../request-context.js'
import {
  assetName,
  body,
  brokerJson,
  customerJson,
  customerStatus,
  email,
  iban,
  idempotencyHeaders,
  idParams,
  movementJson,
  name,
  newPassword,
  pageOf,
  pageQuery,
  positiveInt,
  query,
  responses,
  tier,
  uuid,
} from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

type IdParams = { Params: { id: string } }
type PageQs = { page: number; size: number }

const STAFF = ['ADMIN', 'BROKER'] as const
const ADMIN = ['ADMIN'] as const

export function customerRoutes(deps: RouteDeps): FastifyPluginAsync {
  const { clients, access } = deps
  return async (api) => {
    api.post<{ Body: { name: string; email: string; password: string; tier?: string } }>(
      '/customers',
      {
        config: { roles: STAFF },
        schema: {
          ...doc('customers', 'Create a customer; a broker becomes its broker', { roles: STAFF }),
          headers: idempotencyHeaders,
          body: body({ name, email, password: newPassword, tier }, ['name', 'email', 'password']),
          response: responses(201, customerJson, 'The customer'),
        },
      },
      async (req, reply) => {
        const p = principalOf(req)
        // Tiers are an admin's decision (SPEC §1); a broker's customers start STANDARD.
        if (p.role === 'BROKER' && req.body.tier !== undefined && req.body.tier !== 'STANDARD') {
          throw forbidden('Only an admin sets tiers')
        }
        const c = await clients.call<pb.Customer>('customer', 'CreateCustomer', {
          actor: actorOf(req),
          idempotency_key: idempotencyKeyOf(req),
          name: req.body.name,
          email: req.body.email,
          password: req.body.password,
          tier: req.body.tier ?? 'TIER_UNSPECIFIED',
          broker_id: p.role === 'BROKER' ? p.brokerId : '',
        })
        return reply.code(201).send(json.customer(c))
      },
    )

    api.get<{ Querystring: PageQs & { tier?: string; status?: string } }>(
      '/customers',
      {
        schema: {
          ...doc('customers', 'List customers: all (admin), assigned ones (broker), yourself (customer)'),
          querystring: query({ ...pageQuery, tier, status: customerStatus }),
          response: responses(200, pageOf(customerJson), 'A page of customers, newest first'),
        },
      },
      async (req) => {
        const p = principalOf(req)
        const q = req.query
        if (p.role === 'CUSTOMER') {
          const self = await access.fetchCustomer(p.customerId!)
          const matches = (q.tier === undefined || self.tier === q.tier) && (q.status === undefined || self.status === q.status)
          const all = matches ? [self] : []
          return { content: q.page === 0 ? all.map(json.customer) : [], page: q.page, size: q.size, totalElements: all.length }
        }
        const res = await clients.call<pb.Paged<pb.Customer>>('customer', 'ListCustomers', {
          page: { page: q.page, size: q.size },
          broker_id: p.role === 'BROKER' ? p.brokerId : '',
          tier: q.tier ?? 'TIER_UNSPECIFIED',
          status: q.status ?? 'CUSTOMER_STATUS_UNSPECIFIED',
        })
        return json.page(res, json.customer, q)
      },
    )

    api.get<IdParams>(
      '/customers/:id',
      {
        schema: {
          ...doc('customers', 'One customer'),
          params: idParams,
          response: responses(200, customerJson, 'The customer'),
        },
      },
      async (req) => {
        const fetched = await access.customer(principalOf(req), req.params.id)
        return json.customer(fetched ?? (await access.fetchCustomer(req.params.id)))
      },
    )

    api.put<IdParams & { Body: { tier: string } }>(
      '/customers/:id/tier',
      {
        config: { roles: ADMIN },
        schema: {
          ...doc('customers', "Set a customer's tier", { roles: ADMIN }),
          params: idParams,
          body: body({ tier }, ['tier']),
          response: responses(200, customerJson, 'The customer'),
        },
      },
      async (req) => {
        const c = await clients.call<pb.Customer>('customer', 'SetTier', { actor: actorOf(req), id: req.params.id, tier: req.body.tier })
        // The new rate limit applies at once on this instance (others within the cache's seconds).
        deps.tiers.forget(req.params.id)
        return json.customer(c)
      },
    )

    api.put<IdParams & { Body: { status: string } }>(
      '/customers/:id/status',
      {
        config: { roles: ADMIN },
        schema: {
          ...doc('customers', "Set a customer's status (a SUSPENDED customer may sign in and read, not trade)", { roles: ADMIN }),
          params: idParams,
          body: body({ status: customerStatus }, ['status']),
          response: responses(200, customerJson, 'The customer'),
        },
      },
      async (req) => {
        const c = await clients.call<pb.Customer>('customer', 'SetStatus', {
          actor: actorOf(req),
          id: req.params.id,
          status: req.body.status,
        })
        return json.customer(c)
      },
    )

    api.put<IdParams & { Body: { brokerId: string | null } }>(
      '/customers/:id/broker',
      {
        config: { roles: ADMIN },
        schema: {
          ...doc('customers', 'Assign a broker to a customer (null removes it)', { roles: ADMIN }),
          params: idParams,
          body: body({ brokerId: { ...uuid, type: ['string', 'null'] } }, ['brokerId']),
          response: responses(200, customerJson, 'The customer'),
        },
      },
      async (req) => {
        const c = await clients.call<pb.Customer>('customer', 'AssignBroker', {
          actor: actorOf(req),
          id: req.params.id,
          broker_id: req.body.brokerId ?? '',
        })
        return json.customer(c)
      },
    )

    api.post<IdParams & { Body: { amount: number; assetName?: string } }>(
      '/customers/:id/deposits',
      {
        schema: {
          ...doc('customers', 'Request a deposit (customers: TRY only)'),
          params: idParams,
          headers: idempotencyHeaders,
          body: body({ amount: positiveInt, assetName }, ['amount']),
          response: responses(202, movementJson, 'The deposit, REQUESTED'),
        },
      },
      async (req, reply) => {
        const p = principalOf(req)
        const asset = req.body.assetName ?? 'TRY'
        if (p.role === 'CUSTOMER' && asset !== 'TRY') throw forbidden('Customers may deposit TRY only')
        await access.customer(p, req.params.id)
        const m = await clients.call<pb.Movement>('customer', 'RequestDeposit', {
          actor: actorOf(req),
          idempotency_key: idempotencyKeyOf(req),
          customer_id: req.params.id,
          asset_name: asset,
          amount: req.body.amount,
        })
        return reply.code(202).send(json.movement(m))
      },
    )

    api.post<IdParams & { Body: { amount: number; iban?: string; assetName?: string } }>(
      '/customers/:id/withdrawals',
      {
        schema: {
          ...doc('customers', 'Request a withdrawal (TRY needs an IBAN)'),
          params: idParams,
          headers: idempotencyHeaders,
          body: body({ amount: positiveInt, iban, assetName }, ['amount']),
          response: responses(202, movementJson, 'The withdrawal, REQUESTED'),
        },
      },
      async (req, reply) => {
        const p = principalOf(req)
        const asset = req.body.assetName ?? 'TRY'
        if (asset === 'TRY' && req.body.iban === undefined) throw badField('body.iban', 'is required to withdraw TRY')
        await access.customer(p, req.params.id)
        const m = await clients.call<pb.Movement>('customer', 'RequestWithdrawal', {
          actor: actorOf(req),
          idempotency_key: idempotencyKeyOf(req),
          customer_id: req.params.id,
          asset_name: asset,
          amount: req.body.amount,
          iban: req.body.iban ?? '',
        })
        return reply.code(202).send(json.movement(m))
      },
    )

    api.get<IdParams & { Querystring: PageQs }>(
      '/customers/:id/movements',
      {
        schema: {
          ...doc('customers', "A customer's deposits and withdrawals"),
          params: idParams,
          querystring: query({ ...pageQuery }),
          response: responses(200, pageOf(movementJson), 'A page of movements, newest first'),
        },
      },
      async (req) => {
        await access.customer(principalOf(req), req.params.id)
        const res = await clients.call<pb.Paged<pb.Movement>>('customer', 'ListMovements', {
          customer_id: req.params.id,
          page: { page: req.query.page, size: req.query.size },
        })
        return json.page(res, json.movement, req.query)
      },
    )

    api.post<{ Body: { name: string; email: string; password: string } }>(
      '/brokers',
      {
        config: { roles: ADMIN },
        schema: {
          ...doc('brokers', 'Create a broker (signs in with the email)', { roles: ADMIN }),
          headers: idempotencyHeaders,
          body: body({ name, email, password: newPassword }, ['name', 'email', 'password']),
          response: responses(201, brokerJson, 'The broker'),
        },
      },
      async (req, reply) => {
        const b = await clients.call<pb.Broker>('customer', 'CreateBroker', {
          actor: actorOf(req),
          name: req.body.name,
          email: req.body.email,
          password: req.body.password,
        })
        return reply.code(201).send(json.broker(b))
      },
    )

    api.get<{ Querystring: PageQs }>(
      '/brokers',
      {
        config: { roles: ADMIN },
        schema: {
          ...doc('brokers', 'List brokers', { roles: ADMIN }),
          querystring: query({ ...pageQuery }),
          response: responses(200, pageOf(brokerJson), 'A page of brokers'),
        },
      },
      async (req) => {
        const res = await clients.call<pb.Paged<pb.Broker>>('customer', 'ListBrokers', {
          page: { page: req.query.page, size: req.query.size },
        })
        return json.page(res, json.broker, req.query)
      },
    )
  }
}
