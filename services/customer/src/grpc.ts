import type * as pb from '@brokerage/contracts/grpc'
import type { CallContext, GrpcHandlers } from '@brokerage/platform'
import type { Customers } from './customers.js'
import {
  CUSTOMER_STATUSES,
  ROLES,
  TIERS,
  type Actor,
  type Broker,
  type Customer,
  type Movement,
  type PageOf,
  type Principal,
} from './domain.js'
import type { Identity } from './identity.js'
import type { Movements } from './movements.js'
import { createChecker, DEFAULT_ASSET, type Checker } from './validation.js'

// The gRPC edge: every request is checked field by field (all bad fields in one
// VALIDATION_FAILED, before anything is read or written), then mapped to the domain; the
// answers are mapped back to the protos' snake_case messages, "" standing for absent.

type Request = Record<string, unknown>

const TIER_UNSET = 'TIER_UNSPECIFIED'
const STATUS_UNSET = 'CUSTOMER_STATUS_UNSPECIFIED'
const MAX_KEY_LENGTH = 255

/** The caller as the gateway authenticated it; its request id becomes the events' correlationId. */
function actorOf(c: Checker, value: unknown, ctx: CallContext): Actor {
  if (typeof value !== 'object' || value === null) {
    c.fail('actor', 'must be given')
    return { subject: '', role: 'CUSTOMER', requestId: ctx.requestId }
  }
  const a = value as Request
  const role = c.enumValue('actor.role', a['role'], ROLES, 'ROLE_UNSPECIFIED', { required: true })
  // Customers and brokers are named by their ids; only the admin's subject is free-form.
  const subject =
    role === 'ADMIN' || role === null ? c.token('actor.subject', a['subject'], { max: 200 }) : c.uuid('actor.subject', a['subject'])
  const requestId = c.token('actor.request_id', a['request_id'], { max: 200, optional: true })
  return { subject, role: role ?? 'CUSTOMER', requestId: requestId || ctx.requestId }
}

const iso = (d: Date) => d.toISOString()

export const customerOut = (c: Customer) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  tier: c.tier,
  status: c.status,
  broker_id: c.brokerId ?? '',
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
})

const brokerOut = (b: Broker) => ({ id: b.id, name: b.name, email: b.email, created_at: iso(b.createdAt) })

const movementOut = (m: Movement) => ({
  id: m.id,
  customer_id: m.customerId,
  kind: m.kind,
  asset_name: m.assetName,
  amount: m.amount,
  iban: m.iban ?? '',
  status: m.status,
  rejection_reason: m.rejectionReason ?? '',
  created_at: iso(m.createdAt),
  updated_at: iso(m.updatedAt),
})

const principalOut = (p: Principal): pb.Principal => ({
  subject: p.subject,
  role: p.role,
  username: p.username,
  customer_id: p.customerId ?? '',
  broker_id: p.brokerId ?? '',
  status: p.status ?? STATUS_UNSET,
})

function pageOut<T, R>(p: PageOf<T>, map: (t: T) => R) {
  return { content: p.content.map(map), page: { page: p.page, size: p.size, total_elements: p.totalElements } }
}

export function createCustomerGrpc(deps: { customers: Customers; movements: Movements }): GrpcHandlers<'customer'> {
  const { customers, movements } = deps
  return {
    async CreateCustomer(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const key = c.token('idempotency_key', r['idempotency_key'], { max: MAX_KEY_LENGTH, optional: true })
      const input = {
        name: c.name('name', r['name']),
        email: c.email('email', r['email']),
        password: c.password('password', r['password']),
        tier: c.enumValue('tier', r['tier'], TIERS, TIER_UNSET, { default: 'STANDARD' }) ?? 'STANDARD',
        brokerId: c.optionalUuid('broker_id', r['broker_id']),
      }
      c.done()
      return customerOut(await customers.create(actor, input, key))
    },

    async GetCustomer(r) {
      const c = createChecker()
      const id = c.uuid('id', r['id'])
      c.done()
      return customerOut(await customers.get(id))
    },

    async ListCustomers(r) {
      const c = createChecker()
      const page = c.page('page', r['page'])
      const filter = {
        brokerId: c.optionalUuid('broker_id', r['broker_id']),
        tier: c.enumValue('tier', r['tier'], TIERS, TIER_UNSET),
        status: c.enumValue('status', r['status'], CUSTOMER_STATUSES, STATUS_UNSET),
      }
      c.done()
      return pageOut(await customers.list(filter, page), customerOut)
    },

    async SetTier(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const id = c.uuid('id', r['id'])
      const tier = c.enumValue('tier', r['tier'], TIERS, TIER_UNSET, { required: true })
      c.done()
      return customerOut(await customers.setTier(actor, id, tier!))
    },

    async SetStatus(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const id = c.uuid('id', r['id'])
      const status = c.enumValue('status', r['status'], CUSTOMER_STATUSES, STATUS_UNSET, { required: true })
      c.done()
      return customerOut(await customers.setStatus(actor, id, status!))
    },

    async AssignBroker(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const id = c.uuid('id', r['id'])
      const brokerId = c.optionalUuid('broker_id', r['broker_id'])
      c.done()
      return customerOut(await customers.assignBroker(actor, id, brokerId))
    },

    async CreateBroker(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const input = {
        name: c.name('name', r['name']),
        email: c.email('email', r['email']),
        password: c.password('password', r['password']),
      }
      c.done()
      return brokerOut(await customers.createBroker(actor, input))
    },

    async ListBrokers(r) {
      const c = createChecker()
      const page = c.page('page', r['page'])
      c.done()
      return pageOut(await customers.listBrokers(page), brokerOut)
    },

    async RequestDeposit(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const key = c.token('idempotency_key', r['idempotency_key'], { max: MAX_KEY_LENGTH, optional: true })
      const input = {
        customerId: c.uuid('customer_id', r['customer_id']),
        assetName: c.assetName('asset_name', r['asset_name']),
        amount: c.amount('amount', r['amount']),
      }
      c.done()
      return movementOut(await movements.requestDeposit(actor, input, key))
    },

    async RequestWithdrawal(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const key = c.token('idempotency_key', r['idempotency_key'], { max: MAX_KEY_LENGTH, optional: true })
      const customerId = c.uuid('customer_id', r['customer_id'])
      const assetName = c.assetName('asset_name', r['asset_name'])
      const amount = c.amount('amount', r['amount'])
      let iban: string | null = null
      if (assetName === DEFAULT_ASSET) {
        if (r['iban'] === '' || r['iban'] === undefined || r['iban'] === null)
          c.fail('iban', `is required for ${DEFAULT_ASSET} withdrawals`)
        else iban = c.iban('iban', r['iban'])
      } else if (r['iban'] !== '' && r['iban'] !== undefined && r['iban'] !== null) {
        // WithdrawalRequested carries an IBAN for cash only; an asset leaves by other means.
        c.fail('iban', `must be empty: only ${DEFAULT_ASSET} withdrawals are paid to an IBAN`)
      }
      c.done()
      return movementOut(await movements.requestWithdrawal(actor, { customerId, assetName, amount, iban }, key))
    },

    async ListMovements(r) {
      const c = createChecker()
      const customerId = c.uuid('customer_id', r['customer_id'])
      const page = c.page('page', r['page'])
      c.done()
      return pageOut(await movements.list(customerId, page), movementOut)
    },
  }
}

export function createIdentityGrpc(deps: { identity: Identity }): GrpcHandlers<'identity'> {
  const { identity } = deps
  return {
    async Authenticate(r) {
      const c = createChecker()
      // Usernames are emails, stored lower-case; the length bound keeps scrypt's input small.
      const username = c.token('username', r['username'], { max: 320 }).trim().toLowerCase()
      const password = c.secret('password', r['password'], 128)
      c.done()
      return principalOut(await identity.authenticate(username, password))
    },

    async SetPassword(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const subject = c.uuid('subject', r['subject'])
      const password = c.password('password', r['password'])
      c.done()
      return principalOut(await identity.setPassword(actor, subject, password))
    },

    async ChangePassword(r, ctx) {
      const c = createChecker()
      const actor = actorOf(c, r['actor'], ctx)
      const currentPassword = c.secret('currentPassword', r['current_password'], 128)
      const newPassword = c.password('newPassword', r['new_password'])
      c.done()
      return principalOut(await identity.changePassword(actor, currentPassword, newPassword))
    },
  }
}
