import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { CustomerStatus, Tier } from '@brokerage/contracts'
import * as json from '../json.js'
import { accountIdOf, actorOf, badField, forbidden, idempotencyKeyOf, principalOf } from '../request-context.js'
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
import { factsOf } from '../sessions.js'
import { doc, type RouteDeps } from './deps.js'

const STAFF = ['ADMIN', 'BROKER'] as const
const ADMIN = ['ADMIN'] as const

type ById = { Params: { id: string } }
type Paging = { page: number; size: number }
type NewAccount = { name: string; email: string; password: string }
type CreateCustomer = { Body: NewAccount & { tier?: Tier } }
type ListCustomers = { Querystring: Paging & { tier?: Tier; status?: CustomerStatus } }
type SetTier = ById & { Body: { tier: Tier } }
type SetStatus = ById & { Body: { status: CustomerStatus } }
type AssignBroker = ById & { Body: { brokerId: string | null } }
type Deposit = ById & { Body: { amount: number; assetName?: string } }
type Withdraw = ById & { Body: { amount: number; iban?: string; assetName?: string } }
type ListMovements = ById & { Querystring: Paging }

export function customerRoutes({ clients, access, tiers, sessions }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.post<CreateCustomer>('/customers', { config: { roles: STAFF }, schema: schemas.createCustomer }, createCustomer)
    api.get<ListCustomers>('/customers', { schema: schemas.listCustomers }, listCustomers)
    api.get<ById>('/customers/:id', { schema: schemas.getCustomer }, getCustomer)
    api.put<SetTier>('/customers/:id/tier', { config: { roles: ADMIN }, schema: schemas.setTier }, setTier)
    api.put<SetStatus>('/customers/:id/status', { config: { roles: ADMIN }, schema: schemas.setStatus }, setStatus)
    api.put<AssignBroker>('/customers/:id/broker', { config: { roles: ADMIN }, schema: schemas.assignBroker }, assignBroker)
    api.post<Deposit>('/customers/:id/deposits', { schema: schemas.deposit }, deposit)
    api.post<Withdraw>('/customers/:id/withdrawals', { schema: schemas.withdraw }, withdraw)
    api.get<ListMovements>('/customers/:id/movements', { schema: schemas.listMovements }, listMovements)
    api.post<{ Body: NewAccount }>('/brokers', { config: { roles: ADMIN }, schema: schemas.createBroker }, createBroker)
    api.get<{ Querystring: Paging }>('/brokers', { config: { roles: ADMIN }, schema: schemas.listBrokers }, listBrokers)
  }

  async function createCustomer(req: FastifyRequest<CreateCustomer>, reply: FastifyReply) {
    const p = principalOf(req)
    // Tiers are an admin's decision (SPEC §1); a broker's customers start STANDARD.
    if (p.role === 'BROKER' && req.body.tier !== undefined && req.body.tier !== 'STANDARD') {
      throw forbidden('Only an admin sets tiers')
    }
    const c = await clients.call('customer', 'CreateCustomer', {
      actor: actorOf(req),
      idempotency_key: idempotencyKeyOf(req),
      name: req.body.name,
      email: req.body.email,
      password: req.body.password,
      tier: req.body.tier ?? 'TIER_UNSPECIFIED',
      broker_id: p.role === 'BROKER' ? p.brokerId : '',
    })
    return reply.code(201).send(json.customer(c))
  }

  async function listCustomers(req: FastifyRequest<ListCustomers>) {
    const p = principalOf(req)
    const q = req.query
    if (p.role === 'CUSTOMER') {
      const self = await access.fetchCustomer(p.customerId!)
      const matches = (q.tier === undefined || self.tier === q.tier) && (q.status === undefined || self.status === q.status)
      const all = matches ? [self] : []
      return { content: q.page === 0 ? all.map(json.customer) : [], page: q.page, size: q.size, totalElements: all.length }
    }
    const res = await clients.call('customer', 'ListCustomers', {
      page: { page: q.page, size: q.size },
      broker_id: p.role === 'BROKER' ? p.brokerId : '',
      tier: q.tier ?? 'TIER_UNSPECIFIED',
      status: q.status ?? 'CUSTOMER_STATUS_UNSPECIFIED',
    })
    return json.page(res, json.customer, q)
  }

  async function getCustomer(req: FastifyRequest<ById>) {
    const fetched = await access.customer(principalOf(req), req.params.id)
    return json.customer(fetched ?? (await access.fetchCustomer(req.params.id)))
  }

  async function setTier(req: FastifyRequest<SetTier>) {
    const c = await clients.call('customer', 'SetTier', { actor: actorOf(req), id: req.params.id, tier: req.body.tier })
    // The new rate limit applies at once on this instance (others within the cache's seconds).
    tiers.forget(req.params.id)
    return json.customer(c)
  }

  async function setStatus(req: FastifyRequest<SetStatus>) {
    const c = await clients.call('customer', 'SetStatus', { actor: actorOf(req), id: req.params.id, status: req.body.status })
    // Decided here, on the answer of the call that suspends, rather than on CustomerStatusChanged
    // from the bus: the sessions are over before the admin is told the customer is suspended.
    if (c.status === 'SUSPENDED') {
      await sessions?.endAccount({ subject: c.id, role: 'CUSTOMER', customerId: c.id }, 'SUSPENDED', {
        ...factsOf(req),
        by: accountIdOf(principalOf(req)),
      })
    }
    return json.customer(c)
  }

  async function assignBroker(req: FastifyRequest<AssignBroker>) {
    const c = await clients.call('customer', 'AssignBroker', {
      actor: actorOf(req),
      id: req.params.id,
      broker_id: req.body.brokerId ?? '',
    })
    return json.customer(c)
  }

  async function deposit(req: FastifyRequest<Deposit>, reply: FastifyReply) {
    const p = principalOf(req)
    const asset = req.body.assetName ?? 'TRY'
    // Another customer's account answers 404 before anything else is said about it (SPEC §1).
    await access.customer(p, req.params.id)
    if (p.role === 'CUSTOMER' && asset !== 'TRY') throw forbidden('Customers may deposit TRY only')
    const m = await clients.call('customer', 'RequestDeposit', {
      actor: actorOf(req),
      idempotency_key: idempotencyKeyOf(req),
      customer_id: req.params.id,
      asset_name: asset,
      amount: req.body.amount,
    })
    return reply.code(202).send(json.movement(m))
  }

  async function withdraw(req: FastifyRequest<Withdraw>, reply: FastifyReply) {
    const p = principalOf(req)
    const asset = req.body.assetName ?? 'TRY'
    if (asset === 'TRY' && req.body.iban === undefined) throw badField('body.iban', 'is required to withdraw TRY')
    await access.customer(p, req.params.id)
    const m = await clients.call('customer', 'RequestWithdrawal', {
      actor: actorOf(req),
      idempotency_key: idempotencyKeyOf(req),
      customer_id: req.params.id,
      asset_name: asset,
      amount: req.body.amount,
      iban: req.body.iban ?? '',
    })
    return reply.code(202).send(json.movement(m))
  }

  async function listMovements(req: FastifyRequest<ListMovements>) {
    await access.customer(principalOf(req), req.params.id)
    const res = await clients.call('customer', 'ListMovements', {
      customer_id: req.params.id,
      page: { page: req.query.page, size: req.query.size },
    })
    return json.page(res, json.movement, req.query)
  }

  async function createBroker(req: FastifyRequest<{ Body: NewAccount }>, reply: FastifyReply) {
    const b = await clients.call('customer', 'CreateBroker', {
      actor: actorOf(req),
      name: req.body.name,
      email: req.body.email,
      password: req.body.password,
    })
    return reply.code(201).send(json.broker(b))
  }

  async function listBrokers(req: FastifyRequest<{ Querystring: Paging }>) {
    const res = await clients.call('customer', 'ListBrokers', {
      page: { page: req.query.page, size: req.query.size },
    })
    return json.page(res, json.broker, req.query)
  }
}

const schemas = {
  createCustomer: {
    ...doc('customers', 'Create a customer; a broker becomes its broker', { roles: STAFF }),
    headers: idempotencyHeaders,
    body: body({ name, email, password: newPassword, tier }, ['name', 'email', 'password']),
    response: responses(201, customerJson, 'The customer'),
  },
  listCustomers: {
    ...doc('customers', 'List customers: all (admin), assigned ones (broker), yourself (customer)'),
    querystring: query({ ...pageQuery, tier, status: customerStatus }),
    response: responses(200, pageOf(customerJson), 'A page of customers, newest first'),
  },
  getCustomer: {
    ...doc('customers', 'One customer'),
    params: idParams,
    response: responses(200, customerJson, 'The customer'),
  },
  setTier: {
    ...doc('customers', "Set a customer's tier", { roles: ADMIN }),
    params: idParams,
    body: body({ tier }, ['tier']),
    response: responses(200, customerJson, 'The customer'),
  },
  setStatus: {
    ...doc('customers', "Set a customer's status (SUSPENDED ends their sessions; they may not sign in or trade)", { roles: ADMIN }),
    params: idParams,
    body: body({ status: customerStatus }, ['status']),
    response: responses(200, customerJson, 'The customer'),
  },
  assignBroker: {
    ...doc('customers', 'Assign a broker to a customer (null removes it)', { roles: ADMIN }),
    params: idParams,
    body: body({ brokerId: { ...uuid, type: ['string', 'null'] } }, ['brokerId']),
    response: responses(200, customerJson, 'The customer'),
  },
  deposit: {
    ...doc('customers', 'Request a deposit (customers: TRY only)'),
    params: idParams,
    headers: idempotencyHeaders,
    body: body({ amount: positiveInt, assetName }, ['amount']),
    response: responses(202, movementJson, 'The deposit, REQUESTED'),
  },
  withdraw: {
    ...doc('customers', 'Request a withdrawal (TRY needs an IBAN)'),
    params: idParams,
    headers: idempotencyHeaders,
    body: body({ amount: positiveInt, iban, assetName }, ['amount']),
    response: responses(202, movementJson, 'The withdrawal, REQUESTED'),
  },
  listMovements: {
    ...doc('customers', "A customer's deposits and withdrawals"),
    params: idParams,
    querystring: query({ ...pageQuery }),
    response: responses(200, pageOf(movementJson), 'A page of movements, newest first'),
  },
  createBroker: {
    ...doc('brokers', 'Create a broker (signs in with the email)', { roles: ADMIN }),
    headers: idempotencyHeaders,
    body: body({ name, email, password: newPassword }, ['name', 'email', 'password']),
    response: responses(201, brokerJson, 'The broker'),
  },
  listBrokers: {
    ...doc('brokers', 'List brokers', { roles: ADMIN }),
    querystring: query({ ...pageQuery }),
    response: responses(200, pageOf(brokerJson), 'A page of brokers'),
  },
}
