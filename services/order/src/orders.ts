import { randomUUID } from 'node:crypto'
import type { AnyEnvelope, EventData } from '@brokerage/contracts'
import { AppError, type Db, type EventEnvelope, type Logger, type Metrics, type Outbox, type Queryable } from '@brokerage/platform'
import type { CustomerDirectory } from './customer-directory.js'
import type { CustomerFacts, CustomerReplica } from './customer-replica.js'
import {
  decideCancel,
  decideMatch,
  decideRemovedFromBook,
  decideReservation,
  type CancelReason,
  type OrderStatus,
  type RejectionReason,
  type Side,
} from './domain.js'
import { orderEvents, type Flow } from './events.js'
import type { Cause, HistoryRow, OrderFilter, OrderRow, OrderStore } from './store.js'

// The order service's use cases: each loads what it needs, asks domain.ts what to do,
// and writes the order row, its history, the events and the waiters' wake-up in one
// transaction. Request methods open their own; reactions run in the consumer's.

export interface NewOrder {
  customerId: string
  assetName: string
  side: Side
  size: number
  price: number
}

interface Deps {
  db: Db
  store: OrderStore
  replica: CustomerReplica
  /** Asked when the replica misses a customer; without it such an order answers NOT_FOUND. */
  directory?: CustomerDirectory | null
  outbox: Outbox
  now: () => Date
  log: Logger
  metrics?: Metrics
}

const causeOf = (event: AnyEnvelope): Cause => ({ eventId: event.id, eventType: event.type })

/** The request part an idempotency key stands for (not wait_ms, not the actor's request id). */
const fingerprint = (o: NewOrder) => JSON.stringify([o.customerId, o.assetName, o.side, o.size, o.price])

export function createOrders(deps: Deps) {
  const { db, store, replica, directory, outbox, now, log } = deps

  async function reload(tx: Queryable, id: string): Promise<OrderRow> {
    return (await store.get(tx, id))!
  }

  /** A status change: row, history entry, events, and the wake-up of CreateOrder calls waiting on it. */
  async function moveTo(
    tx: Queryable,
    order: OrderRow,
    to: OrderStatus,
    at: Date,
    change: { cause: Cause | null; reason: string | null; rejectionReason?: RejectionReason },
    events: AnyEnvelope[],
  ): Promise<void> {
    await store.setStatus(tx, order.id, to, at, change.rejectionReason ?? null)
    await store.addHistory(tx, order.id, to, at, change.cause, change.reason)
    await outbox.add(tx, ...(events as EventEnvelope[]))
    // Woken after commit, outside the transaction: a NOTIFY inside it would hold a global
    // lock through every status change's commit and serialize them. A wake-up lost to a
    // crash only makes a waiting CreateOrder answer at its deadline, with the right status.
    db.afterCommit(tx, () => {
      store.notifyStatus(db, order.id).catch((err: unknown) => log.warn({ err, orderId: order.id }, 'status wake-up not sent'))
    })
    if (order.status === 'PENDING' && to !== 'PENDING') {
      deps.metrics?.sagaDuration.observe({ saga: 'order_reservation', outcome: to }, (at.getTime() - order.createdAt.getTime()) / 1000)
    }
  }

  /** Cancels at once (PENDING) or asks the engine (booked); a refusal leaves everything as it was. */
  async function cancelOne(tx: Queryable, order: OrderRow, reason: CancelReason, cause: Cause | null, flow: Flow) {
    const decision = decideCancel({ ...order, cancelInFlight: order.cancelRequestedAt !== null })
    if (!decision.ok) return decision
    const at = now()
    if (decision.kind === 'cancel-now') {
      await moveTo(tx, order, 'CANCELED', at, { cause, reason }, [orderEvents.cancelled(order, decision.cancelledSize, reason, at, flow)])
    } else {
      await store.setCancelRequest(tx, order.id, { at, reason }, at)
      await store.addHistory(tx, order.id, order.status, at, cause, 'CANCEL_REQUESTED')
      await outbox.add(tx, orderEvents.cancelRequested(order, reason, at, flow) as EventEnvelope)
    }
    return decision
  }

  /**
   * A customer the replica has not seen may just have been created (CustomerCreated not
   * consumed yet): the customer service decides, and its answer goes into the replica in
   * this transaction, so a suspension consumed meanwhile waits for this order and cancels it.
   */
  async function catchUp(tx: Queryable, customerId: string): Promise<CustomerFacts | null> {
    const found = await directory?.lookup(customerId)
    if (!found) return null
    log.info({ customerId }, 'customer not in the replica yet; taken from the customer service')
    await replica.learned(tx, found.facts, found.asOf)
    return replica.getForOrder(tx, customerId)
  }

  /** Locks the order for a reaction; an event about an order this service never stored changes nothing. */
  async function lockFor(tx: Queryable, event: AnyEnvelope, orderId: string): Promise<OrderRow | null> {
    const order = await store.get(tx, orderId, { lock: true })
    if (!order) log.warn({ orderId, eventType: event.type, eventId: event.id }, 'event for an unknown order ignored')
    return order
  }

  return {
    async create(req: NewOrder & { idempotencyKey?: string; requestId?: string }): Promise<{ order: OrderRow; replayed: boolean }> {
      return db.tx(async (tx) => {
        const at = now()
        const id = randomUUID()
        if (req.idempotencyKey) {
          const request = fingerprint(req)
          const earlier = await store.claimIdempotencyKey(tx, {
            customerId: req.customerId,
            key: req.idempotencyKey,
            request,
            orderId: id,
            at,
          })
          if (earlier) {
            if (earlier.request !== request) {
              throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used with a different request', {
                details: [{ field: 'idempotency_key', message: 'already used with a different request' }],
              })
            }
            return { order: await reload(tx, earlier.orderId), replayed: true }
          }
        }
        const customer = (await replica.getForOrder(tx, req.customerId)) ?? (await catchUp(tx, req.customerId))
        if (!customer) throw new AppError('NOT_FOUND', 'customer not found')
        const suspended = customer.status === 'SUSPENDED'
        const order: OrderRow = {
          id,
          customerId: req.customerId,
          assetName: req.assetName,
          side: req.side,
          size: req.size,
          price: req.price,
          filledSize: 0,
          tier: customer.tier,
          status: suspended ? 'REJECTED' : 'PENDING',
          rejectionReason: suspended ? 'CUSTOMER_SUSPENDED' : null,
          cancelRequestedAt: null,
          cancelReason: null,
          correlationId: req.requestId ?? null,
          createdAt: at,
          updatedAt: at,
        }
        await store.insert(tx, order)
        await store.addHistory(tx, id, order.status, at, null, order.rejectionReason)
        const flow = { correlationId: req.requestId }
        const event = suspended ? orderEvents.rejected(order, 'CUSTOMER_SUSPENDED', at, flow) : orderEvents.created(order, flow)
        await outbox.add(tx, event as EventEnvelope)
        return { order: await reload(tx, id), replayed: false }
      })
    },

    async get(id: string): Promise<{ order: OrderRow; history: HistoryRow[] }> {
      const order = await store.get(db, id)
      if (!order) throw new AppError('NOT_FOUND', 'order not found')
      return { order, history: await store.history(db, id) }
    },

    /** Current state, without history (CreateOrder's answer). */
    read: (id: string) => reload(db, id),

    list: (filter: OrderFilter, page: { page: number; size: number }) => store.list(db, filter, page),

    async trades(orderId: string) {
      if (!(await store.get(db, orderId))) throw new AppError('NOT_FOUND', 'order not found')
      return store.trades(db, orderId)
    },

    async cancel(id: string, requestId: string | undefined): Promise<OrderRow> {
      return db.tx(async (tx) => {
        const order = await store.get(tx, id, { lock: true })
        if (!order) throw new AppError('NOT_FOUND', 'order not found')
        const result = await cancelOne(tx, order, 'REQUESTED', null, { correlationId: requestId })
        if (!result.ok) throw new AppError('CONFLICT', result.message, { details: { status: order.status } })
        return reload(tx, id)
      })
    },

    async match(id: string, requestedBy: string, requestId: string | undefined): Promise<OrderRow> {
      return db.tx(async (tx) => {
        const order = await store.get(tx, id, { lock: true })
        if (!order) throw new AppError('NOT_FOUND', 'order not found')
        const decision = decideMatch({ ...order, cancelInFlight: order.cancelRequestedAt !== null })
        if (!decision.ok) throw new AppError('CONFLICT', decision.message, { details: { status: order.status } })
        const at = now()
        await store.addHistory(tx, id, order.status, at, null, 'MATCH_REQUESTED')
        await outbox.add(tx, orderEvents.matchRequested(order, requestedBy, at, { correlationId: requestId }) as EventEnvelope)
        return reload(tx, id)
      })
    },

    // Reactions to other services' events, inside the consumer's transaction.

    async reserved(tx: Queryable, event: AnyEnvelope, data: EventData<'AssetReserved'>): Promise<void> {
      const order = await lockFor(tx, event, data.orderId)
      if (!order || !decideReservation({ ...order, cancelInFlight: false }, { reserved: true })) return
      const at = now()
      await moveTo(tx, order, 'CONFIRMED', at, { cause: causeOf(event), reason: null }, [
        orderEvents.confirmed(order, at, { causedBy: event }),
      ])
    },

    async reservationFailed(tx: Queryable, event: AnyEnvelope, data: EventData<'AssetReservationFailed'>): Promise<void> {
      const order = await lockFor(tx, event, data.orderId)
      if (!order) return
      const decision = decideReservation({ ...order, cancelInFlight: false }, { reserved: false, reason: data.reason })
      if (decision?.to !== 'REJECTED') return
      const at = now()
      await moveTo(tx, order, 'REJECTED', at, { cause: causeOf(event), reason: decision.reason, rejectionReason: decision.reason }, [
        orderEvents.rejected(order, decision.reason, at, { causedBy: event }),
      ])
    },

    async removedFromBook(tx: Queryable, event: AnyEnvelope, data: EventData<'OrderRemovedFromBook'>): Promise<void> {
      const order = await lockFor(tx, event, data.orderId)
      if (!order) return
      const decision = decideRemovedFromBook(order.status, data.remainingSize)
      if (!decision) return
      const at = now()
      if (decision.kind === 'nothing-left') {
        await store.setCancelRequest(tx, order.id, null, at)
        await store.addHistory(tx, order.id, order.status, at, causeOf(event), 'NOTHING_TO_CANCEL')
        return
      }
      const reason = order.cancelReason ?? 'REQUESTED'
      await moveTo(tx, order, 'CANCELED', at, { cause: causeOf(event), reason }, [
        orderEvents.cancelled(order, decision.cancelledSize, reason, at, { causedBy: event }),
      ])
    },

    /** A suspended customer keeps no open orders (CustomerStatusChanged's contract). */
    async customerSuspended(tx: Queryable, event: AnyEnvelope, customerId: string): Promise<void> {
      for (const order of await store.lockOpenOfCustomer(tx, customerId)) {
        // A refusal here only means a cancel is already on its way to the engine.
        await cancelOne(tx, order, 'CUSTOMER_SUSPENDED', causeOf(event), { causedBy: event })
      }
    },

    /** Rejects up to `limit` PENDING orders placed at or before `cutoff`; returns how many. */
    async expireReservations(cutoff: Date, limit: number): Promise<number> {
      return db.tx(async (tx) => {
        const expired = await store.lockExpiredPending(tx, cutoff, limit)
        for (const order of expired) {
          const at = now()
          await moveTo(tx, order, 'REJECTED', at, { cause: null, reason: 'RESERVATION_TIMEOUT', rejectionReason: 'RESERVATION_TIMEOUT' }, [
            orderEvents.rejected(order, 'RESERVATION_TIMEOUT', at, { correlationId: order.correlationId ?? undefined }),
          ])
        }
        return expired.length
      })
    },
  }
}

export type Orders = ReturnType<typeof createOrders>
