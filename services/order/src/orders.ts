import { randomUUID } from 'node:crypto'
import type { AnyEnvelope, EventData } from '@brokerage/contracts'
import { AppError, type Db, type EventEnvelope, type Logger, type Metrics, type Outbox, type Queryable } from '@brokerage/platform'
import type { CustomerDirectory } from './customer-directory.js'
import type { CustomerReplica } from './customer-replica.js'
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
import type { StatusWakeUp } from './status-listener.js'
import type { Cause, CustomerGuess, HistoryRow, OrderFilter, OrderRow, OrderStore } from './store.js'

// The order service's use cases: each loads what it needs, asks domain.ts what to do,
// and writes the order row, its history, the events and the waiters' wake-up in one
// transaction. Request methods open their own (placing an order is a single statement);
// reactions run in the consumer's.

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
  /** Told of every status change in a transaction; wakes CreateOrder calls waiting on those orders once it commits. */
  wakeUp: StatusWakeUp
  now: () => Date
  log: Logger
  metrics?: Metrics
}

/** What the asset service answered about one order's reservation. */
export interface ReservationAnswer {
  event: AnyEnvelope
  orderId: string
  outcome: { reserved: true } | { reserved: false; reason: RejectionReason }
}

/** One order's status change with the events it emits. */
interface Move {
  order: OrderRow
  to: OrderStatus
  at: Date
  cause: Cause | null
  reason: string | null
  rejectionReason?: RejectionReason
  events: AnyEnvelope[]
}

const causeOf = (event: AnyEnvelope): Cause => ({ eventId: event.id, eventType: event.type })

/** The request part an idempotency key stands for (not wait_ms, not the actor's request id). */
const fingerprint = (o: NewOrder) => JSON.stringify([o.customerId, o.assetName, o.side, o.size, o.price])

/** A suspended customer's order is stored, REJECTED, so the answer and OrderRejected say why. */
const IF_SUSPENDED = { status: 'REJECTED', rejectionReason: 'CUSTOMER_SUSPENDED' } as const

/** A placement runs again only when its customer changed since the last statement; this many times in a row is a storm. */
const MAX_PLACEMENT_ATTEMPTS = 4

/**
 * Each customer's tier and suspension as placements last found them in the replica: what the
 * next placement builds its row and event for (the statement checks). Bounded: forgetting
 * costs a customer's next order one more statement.
 */
function customerGuesses(limit = 100_000) {
  const known = new Map<string, CustomerGuess>()
  // Most customers are STANDARD and active; a wrong guess is corrected by the first statement.
  const fallback: CustomerGuess = { tier: 'STANDARD', suspended: false }
  return {
    guess: (customerId: string): CustomerGuess => known.get(customerId) ?? fallback,
    found(customerId: string, c: CustomerGuess): CustomerGuess {
      if (known.get(customerId) !== c) {
        if (known.size >= limit) known.clear()
        known.set(customerId, c)
      }
      return c
    },
  }
}

export function createOrders(deps: Deps) {
  const { db, store, replica, directory, outbox, wakeUp, now, log } = deps
  const customers = customerGuesses()

  /**
   * Status changes, any number at once: rows, history and events in one statement, one
   * wake-up after commit. Returns the rows as written.
   */
  async function moveAll(tx: Queryable, moves: Move[]): Promise<OrderRow[]> {
    if (!moves.length) return []
    const events = await outbox.rows(...(moves.flatMap((m) => m.events) as EventEnvelope[]))
    const rows = await store.move(
      tx,
      moves.map((m) => ({
        id: m.order.id,
        status: m.to,
        at: m.at,
        rejectionReason: m.rejectionReason ?? null,
        cause: m.cause,
        reason: m.reason,
      })),
      events,
    )
    outbox.written(tx)
    wakeUp.changed(tx, rows)
    for (const m of moves) {
      if (m.order.status === 'PENDING' && m.to !== 'PENDING') {
        deps.metrics?.sagaDuration.observe(
          { saga: 'order_reservation', outcome: m.to },
          (m.at.getTime() - m.order.createdAt.getTime()) / 1000,
        )
      }
    }
    return rows
  }

  /**
   * Cancels each order at once (PENDING) or asks the engine (booked), with a constant number
   * of statements however many; a refusal leaves that order as it was. Returns, in the order
   * given, each decision with the row as written (the unchanged row when refused).
   */
  async function cancelAll(tx: Queryable, orders: OrderRow[], reason: CancelReason, cause: Cause | null, flow: Flow) {
    const at = now()
    const decisions = orders.map((order) => ({
      order,
      decision: decideCancel({ ...order, cancelInFlight: order.cancelRequestedAt !== null }),
    }))
    const cancelNow: Move[] = []
    const asked: OrderRow[] = []
    for (const { order, decision } of decisions) {
      if (!decision.ok) continue
      if (decision.kind === 'cancel-now') {
        cancelNow.push({
          order,
          to: 'CANCELED',
          at,
          cause,
          reason,
          events: [orderEvents.cancelled(order, decision.cancelledSize, reason, at, flow)],
        })
      } else asked.push(order)
    }
    const written = new Map<string, OrderRow>()
    for (const row of await moveAll(tx, cancelNow)) written.set(row.id, row)
    if (asked.length) {
      const requested = await store.setCancelRequests(
        tx,
        asked.map((o) => ({ id: o.id, request: { at, reason }, at, status: o.status, cause, reason: 'CANCEL_REQUESTED' })),
        await outbox.rows(...(asked.map((o) => orderEvents.cancelRequested(o, reason, at, flow)) as EventEnvelope[])),
      )
      outbox.written(tx)
      for (const row of requested) written.set(row.id, row)
    }
    return decisions.map(({ order, decision }) => ({ decision, order: written.get(order.id) ?? order }))
  }

  /**
   * A customer the replica has not seen may just have been created (CustomerCreated not
   * consumed yet): the customer service decides, and its answer goes into the replica (newest
   * field wins, so a suspension consumed meanwhile is kept, and the placement sees it).
   * Null when the customer service does not know the customer either.
   */
  async function catchUp(customerId: string): Promise<CustomerGuess | null> {
    const found = await directory?.lookup(customerId)
    if (!found) return null
    log.info({ customerId }, 'customer not in the replica yet; taken from the customer service')
    await replica.learned(db, found.facts, found.asOf)
    return { tier: found.facts.tier, suspended: found.facts.status === 'SUSPENDED' }
  }

  /**
   * Answers from the asset service (AssetReserved / AssetReservationFailed), any number at
   * once with a constant number of statements: each decides its PENDING order in turn, so a
   * second answer about the same order sees the first one's outcome.
   */
  async function answerReservations(tx: Queryable, answers: ReservationAnswer[]): Promise<void> {
    const current = new Map((await store.lockAll(tx, [...new Set(answers.map((a) => a.orderId))])).map((o) => [o.id, o]))
    const at = now()
    const moves: Move[] = []
    for (const { event, orderId, outcome } of answers) {
      const order = current.get(orderId)
      if (!order) {
        log.warn({ orderId, eventType: event.type, eventId: event.id }, 'event for an unknown order ignored')
        continue
      }
      const decision = decideReservation({ ...order, cancelInFlight: false }, outcome)
      if (!decision) continue
      const cause = causeOf(event)
      moves.push(
        decision.to === 'CONFIRMED'
          ? { order, to: 'CONFIRMED', at, cause, reason: null, events: [orderEvents.confirmed(order, at, { causedBy: event })] }
          : {
              order,
              to: 'REJECTED',
              at,
              cause,
              reason: decision.reason,
              rejectionReason: decision.reason,
              events: [orderEvents.rejected(order, decision.reason, at, { causedBy: event })],
            },
      )
      current.set(orderId, { ...order, status: decision.to })
    }
    await moveAll(tx, moves)
  }

  /** Locks the order for a reaction; an event about an order this service never stored changes nothing. */
  async function lockFor(tx: Queryable, event: AnyEnvelope, orderId: string): Promise<OrderRow | null> {
    const order = await store.get(tx, orderId, { lock: true })
    if (!order) log.warn({ orderId, eventType: event.type, eventId: event.id }, 'event for an unknown order ignored')
    return order
  }

  return {
    /**
     * Places an order in one autocommit statement (key, replica, order, history, outbox rows).
     * Its row and event are built first, for the customer as the last placement found it; if
     * the replica says otherwise (a first order here, a tier or status changed since), nothing
     * is written and the statement runs again for what it says. A taken key costs one more read;
     * a customer the replica misses, the customer service's answer and the statement again.
     */
    async create(req: NewOrder & { idempotencyKey?: string; requestId?: string }): Promise<{ order: OrderRow; replayed: boolean }> {
      const createdAt = now()
      const base = {
        id: randomUUID(),
        customerId: req.customerId,
        assetName: req.assetName,
        side: req.side,
        size: req.size,
        price: req.price,
        filledSize: 0,
        cancelRequestedAt: null,
        cancelReason: null,
        correlationId: req.requestId ?? null,
        createdAt,
        updatedAt: new Date(createdAt),
      }
      const idempotency = req.idempotencyKey ? { key: req.idempotencyKey, request: fingerprint(req) } : undefined
      const flow = { correlationId: req.requestId }
      let customer = customers.guess(req.customerId)
      let caughtUp = false
      for (let attempt = 1; ; attempt++) {
        const order: OrderRow = customer.suspended
          ? { ...base, tier: customer.tier, ...IF_SUSPENDED }
          : { ...base, tier: customer.tier, status: 'PENDING', rejectionReason: null }
        const event = customer.suspended
          ? orderEvents.rejected(order, IF_SUSPENDED.rejectionReason, createdAt, flow)
          : orderEvents.created(order, flow)
        const placed = await store.place(db, order, customer, { events: await outbox.rows(event as EventEnvelope), idempotency })
        if (placed.kind === 'placed') {
          customers.found(req.customerId, customer)
          outbox.written()
          return { order, replayed: false }
        }
        if (placed.kind === 'key-taken') {
          const earlier = await store.replay(db, req.customerId, idempotency!.key)
          if (earlier.request !== idempotency!.request) {
            throw new AppError('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used with a different request', {
              details: [{ field: 'idempotency_key', message: 'already used with a different request' }],
            })
          }
          return { order: earlier.order, replayed: true }
        }
        // Each further attempt follows a change to this customer between two statements.
        if (attempt === MAX_PLACEMENT_ATTEMPTS) throw new AppError('UNAVAILABLE', 'the customer kept changing; try again')
        if (placed.kind === 'customer-differs') customer = customers.found(req.customerId, placed.customer)
        else {
          const found = caughtUp ? null : await catchUp(req.customerId)
          if (!found) throw new AppError('NOT_FOUND', 'customer not found')
          caughtUp = true
          customer = customers.found(req.customerId, found)
        }
      }
    },

    async get(id: string): Promise<{ order: OrderRow; history: HistoryRow[] }> {
      const order = await store.get(db, id)
      if (!order) throw new AppError('NOT_FOUND', 'order not found')
      return { order, history: await store.history(db, id) }
    },

    /** Current state, without history (CreateOrder's answer). */
    read: async (id: string) => (await store.get(db, id))!,

    list: (filter: OrderFilter, page: { page: number; size: number }) => store.list(db, filter, page),

    async trades(orderId: string) {
      if (!(await store.get(db, orderId))) throw new AppError('NOT_FOUND', 'order not found')
      return store.trades(db, orderId)
    },

    async cancel(id: string, requestId: string | undefined): Promise<OrderRow> {
      return db.tx(async (tx) => {
        const order = await store.get(tx, id, { lock: true })
        if (!order) throw new AppError('NOT_FOUND', 'order not found')
        const [result] = await cancelAll(tx, [order], 'REQUESTED', null, { correlationId: requestId })
        if (!result!.decision.ok) throw new AppError('CONFLICT', result!.decision.message, { details: { status: order.status } })
        return result!.order
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
        // A match request changes history only: the row is as locked.
        return order
      })
    },

    // Reactions to other services' events, inside the consumer's transaction.

    answerReservations,

    async removedFromBook(tx: Queryable, event: AnyEnvelope, data: EventData<'OrderRemovedFromBook'>): Promise<void> {
      const order = await lockFor(tx, event, data.orderId)
      if (!order) return
      const decision = decideRemovedFromBook(order.status, data.remainingSize)
      if (!decision) return
      const at = now()
      if (decision.kind === 'nothing-left') {
        await store.setCancelRequests(tx, [
          { id: order.id, request: null, at, status: order.status, cause: causeOf(event), reason: 'NOTHING_TO_CANCEL' },
        ])
        return
      }
      const reason = order.cancelReason ?? 'REQUESTED'
      await moveAll(tx, [
        {
          order,
          to: 'CANCELED',
          at,
          cause: causeOf(event),
          reason,
          events: [orderEvents.cancelled(order, decision.cancelledSize, reason, at, { causedBy: event })],
        },
      ])
    },

    /** A suspended customer keeps no open orders (CustomerStatusChanged's contract). */
    async customerSuspended(tx: Queryable, event: AnyEnvelope, customerId: string): Promise<void> {
      // A refusal here only means a cancel is already on its way to the engine.
      await cancelAll(tx, await store.lockOpenOfCustomer(tx, customerId), 'CUSTOMER_SUSPENDED', causeOf(event), { causedBy: event })
    },

    /** Rejects up to `limit` PENDING orders placed at or before `cutoff`; returns how many. */
    async expireReservations(cutoff: Date, limit: number): Promise<number> {
      return db.tx(async (tx) => {
        const expired = await store.lockExpiredPending(tx, cutoff, limit)
        const at = now()
        await moveAll(
          tx,
          expired.map((order) => ({
            order,
            to: 'REJECTED',
            at,
            cause: null,
            reason: 'RESERVATION_TIMEOUT',
            rejectionReason: 'RESERVATION_TIMEOUT',
            events: [orderEvents.rejected(order, 'RESERVATION_TIMEOUT', at, { correlationId: order.correlationId ?? undefined })],
          })),
        )
        return expired.length
      })
    },

    /**
     * Asks the engine again for every cancel it has not answered since `cutoff` (the request or
     * the answer was lost, e.g. dead-lettered); returns how many. The engine answers a repeat
     * without changing the book: the remainder if the order still rests, 0 if nothing is left.
     * The request time moves on, so each cancel is asked again at most once per timeout.
     */
    async resendCancels(cutoff: Date, limit: number): Promise<number> {
      return db.tx(async (tx) => {
        const stale = await store.lockStaleCancels(tx, cutoff, limit)
        const at = now()
        const asked = stale.map((o) => ({ order: o, reason: o.cancelReason ?? 'REQUESTED' }))
        await store.setCancelRequests(
          tx,
          asked.map(({ order, reason }) => ({
            id: order.id,
            request: { at, reason },
            at,
            status: order.status,
            cause: null,
            reason: 'CANCEL_RESENT',
          })),
        )
        await outbox.add(
          tx,
          ...(asked.map(({ order, reason }) =>
            orderEvents.cancelRequested(order, reason, at, { correlationId: order.correlationId ?? undefined }),
          ) as EventEnvelope[]),
        )
        return stale.length
      })
    },
  }
}

export type Orders = ReturnType<typeof createOrders>
