import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { AppError, type Db, type Outbox } from '@brokerage/platform'
import type { Actor, Broker, Customer, CustomerStatus, PageOf, Tier } from './domain.js'
import { fingerprintOf, type Idempotency } from './idempotency.js'
import type { Passwords } from './passwords.js'
import type { Store } from './store.js'
import type { Page } from './validation.js'

// Customers and brokers: creation (with their sign-in credentials), tier, status and
// broker assignment. Each change and its event commit in one transaction.

export interface NewAccount {
  name: string
  email: string
  password: string
}

export const notFound = (what: string, field?: string) =>
  new AppError('NOT_FOUND', `${what} not found`, field ? { details: [{ field, message: `no such ${what}` }] } : {})

const emailTaken = () =>
  new AppError('ALREADY_EXISTS', 'This email is already in use', { details: [{ field: 'email', message: 'is already in use' }] })

export function requireRole(actor: Actor, roles: readonly Actor['role'][], what: string): void {
  if (!roles.includes(actor.role)) throw new AppError('FORBIDDEN', `${actor.role} may not ${what}`)
}

/** A unique email raced past the pre-check: the constraint has the last word. */
function asEmailTaken(err: unknown): unknown {
  const e = err as { code?: string; constraint?: string }
  if (e.code === '23505' && /email|username/.test(e.constraint ?? '')) return emailTaken()
  return err
}

export function createCustomers(deps: {
  db: Db
  store: Store
  outbox: Outbox
  passwords: Passwords
  idempotency: Idempotency
  now: () => Date
}) {
  const { db, store, outbox, passwords, idempotency, now } = deps
  const load = async (id: string) => (await store.customer(db, id)) ?? Promise.reject(notFound('customer'))

  /** Reads, changes and announces one customer under its row lock; an unchanged value changes nothing. */
  function change<K extends 'tier' | 'status' | 'brokerId'>(
    id: string,
    key: K,
    value: Customer[K],
    announce: (before: Customer, at: Date) => Parameters<Outbox['add']>[1],
  ): Promise<Customer> {
    return db.tx(async (tx) => {
      const before = await store.customer(tx, id, 'update')
      if (!before) throw notFound('customer')
      if (before[key] === value) return before
      const at = now()
      const after = await store.updateCustomer(tx, id, { [key]: value }, at)
      await outbox.add(tx, announce(before, at))
      return after
    })
  }

  return {
    async create(actor: Actor, input: NewAccount & { tier: Tier; brokerId: string | null }, idempotencyKey: string): Promise<Customer> {
      requireRole(actor, ['ADMIN', 'BROKER'], 'create customers')
      let brokerId = input.brokerId
      if (actor.role === 'BROKER') {
        if (brokerId !== null && brokerId !== actor.subject)
          throw new AppError('FORBIDDEN', 'A broker creates customers for themselves only')
        brokerId = actor.subject
      }
      const request = idempotencyKey
        ? {
            operation: 'CreateCustomer',
            actor: actor.subject,
            key: idempotencyKey,
            fingerprint: fingerprintOf({ name: input.name, email: input.email, tier: input.tier, brokerId }),
            secret: input.password,
          }
        : null
      const earlier = await idempotency.replay(request, load)
      if (earlier) return earlier

      if (brokerId !== null && !(await store.broker(db, brokerId))) throw notFound('broker', 'broker_id')
      // Checked before hashing, so a duplicate costs no scrypt run; the unique index settles races.
      if (await store.usernameTaken(db, input.email)) {
        // A twin with this key may have committed after the replay above: its customer is this request's answer.
        const twin = await idempotency.replay(request, load)
        if (twin) return twin
        throw emailTaken()
      }
      const passwordHash = await passwords.hash(input.password)
      const at = now()
      const customer: Customer = {
        id: randomUUID(),
        name: input.name,
        email: input.email,
        tier: input.tier,
        status: 'ACTIVE',
        brokerId,
        createdAt: at,
        updatedAt: at,
      }
      return idempotency
        .run(request, { resourceId: customer.id, secretHash: passwordHash }, load, async (tx) => {
          await store.insertCredential(tx, { subject: customer.id, username: customer.email, role: 'CUSTOMER', passwordHash, at })
          await store.insertCustomer(tx, customer)
          await outbox.add(
            tx,
            newEnvelope(
              'CustomerCreated',
              {
                customerId: customer.id,
                name: customer.name,
                email: customer.email,
                tier: customer.tier,
                status: customer.status,
                brokerId: customer.brokerId,
                createdAt: at.toISOString(),
              },
              { correlationId: actor.requestId },
            ),
          )
          return customer
        })
        .catch((err: unknown) => Promise.reject(asEmailTaken(err)))
    },

    get: load,

    list: (filter: { brokerId: string | null; tier: Tier | null; status: CustomerStatus | null }, page: Page): Promise<PageOf<Customer>> =>
      store.listCustomers(db, filter, page),

    setTier(actor: Actor, id: string, tier: Tier): Promise<Customer> {
      requireRole(actor, ['ADMIN'], 'change tiers')
      return change(id, 'tier', tier, (before, at) =>
        newEnvelope(
          'CustomerTierChanged',
          { customerId: id, previousTier: before.tier, tier, changedAt: at.toISOString() },
          { correlationId: actor.requestId },
        ),
      )
    },

    setStatus(actor: Actor, id: string, status: CustomerStatus): Promise<Customer> {
      requireRole(actor, ['ADMIN'], 'change customer status')
      return change(id, 'status', status, (before, at) =>
        newEnvelope(
          'CustomerStatusChanged',
          { customerId: id, previousStatus: before.status, status, changedAt: at.toISOString() },
          { correlationId: actor.requestId },
        ),
      )
    },

    async assignBroker(actor: Actor, id: string, brokerId: string | null): Promise<Customer> {
      requireRole(actor, ['ADMIN'], 'assign brokers')
      // Brokers are never deleted, so one that exists now still exists at commit.
      if (brokerId !== null && !(await store.broker(db, brokerId))) throw notFound('broker', 'broker_id')
      return change(id, 'brokerId', brokerId, (before, at) =>
        newEnvelope(
          'BrokerAssigned',
          { customerId: id, brokerId, previousBrokerId: before.brokerId, assignedAt: at.toISOString() },
          { correlationId: actor.requestId },
        ),
      )
    },

    async createBroker(actor: Actor, input: NewAccount): Promise<Broker> {
      requireRole(actor, ['ADMIN'], 'create brokers')
      if (await store.usernameTaken(db, input.email)) throw emailTaken()
      const passwordHash = await passwords.hash(input.password)
      const broker: Broker = { id: randomUUID(), name: input.name, email: input.email, createdAt: now() }
      return db
        .tx(async (tx) => {
          await store.insertCredential(tx, {
            subject: broker.id,
            username: broker.email,
            role: 'BROKER',
            passwordHash,
            at: broker.createdAt,
          })
          await store.insertBroker(tx, broker)
          return broker
        })
        .catch((err: unknown) => Promise.reject(asEmailTaken(err)))
    },

    listBrokers: (page: Page): Promise<PageOf<Broker>> => store.listBrokers(db, page),
  }
}

export type Customers = ReturnType<typeof createCustomers>
