import { newEnvelope, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import { addLogFields, defineHandlers, PermanentError, type Logger, type Outbox, type Queryable } from '@brokerage/platform'
import {
  answerOrderCreated,
  cancelRelease,
  orderNeed,
  withdrawalRefusal,
  type DepositRejection,
  type WithdrawalRejection,
} from './domain.js'
import { accountKey, type BalanceChange, type Cause, type Ledger } from './ledger.js'
import type { Movements } from './movements.js'
import {
  orderKey,
  tombstoneRow,
  type ClosedBy,
  type CreatedAnswer,
  type CreatedOrder,
  type OrderReservations,
  type Tombstone,
} from './reservations.js'
import { together } from './statement.js'

// Every balance change is a reaction to one of these events. The consumer runs each
// event's effect once, in one transaction with its inbox row (a set-based handler gets a
// run of events in one such transaction); the events a handler emits go to the outbox in
// that same transaction.
//
// Events of one customer on one topic arrive in order, but not across topics, and a
// dead letter replayed later can arrive after anything. So a cancel or reject of an
// order not seen yet leaves a tombstone, and the OrderCreated that comes after it holds
// nothing and answers AssetReservationFailed (INVALID_ORDER): the order is already
// closed, and a failure is the one answer that can never make anything book it.

export interface HandlerDeps {
  ledger: Ledger
  orders: OrderReservations
  movements: Movements
  outbox: Outbox
  log: Logger
  now?: () => Date
}

const causeOf = (event: Envelope, referenceId: string): Cause => ({ eventId: event.id, eventType: event.type, referenceId })

export function createHandlers(deps: HandlerDeps) {
  const { ledger, orders, movements, outbox, log } = deps
  const now = deps.now ?? (() => new Date())
  const at = () => now().toISOString()

  function answer<T extends EventType>(cause: Envelope, type: T, data: EventData<T>): Envelope<T> {
    return newEnvelope(type, data, { causedBy: cause, now })
  }

  function emit<T extends EventType>(tx: Queryable, cause: Envelope, type: T, data: EventData<T>): Promise<void> {
    return outbox.add(tx, answer(cause, type, data))
  }

  return defineHandlers({
    DepositRequested: async (event, { tx }) => {
      const { movementId, customerId, assetName, amount } = event.data
      addLogFields({ customerId })
      const reject = (reason: DepositRejection) =>
        emit(tx, event, 'DepositRejected', { movementId, customerId, assetName, amount, reason, rejectedAt: at() })
      if (!Number.isSafeInteger(amount) || amount <= 0) {
        // The customer service validates amounts, so this is a broken producer; refusing it
        // still closes the movement, and nothing is recorded because nothing was credited.
        log.warn({ movementId, amount }, 'deposit refused: not a positive whole number')
        return reject('INVALID_AMOUNT')
      }
      if (!(await movements.recordDeposit(tx, event.data, event.id))) {
        log.warn({ movementId }, 'deposit already answered; a re-sent request is not applied again')
        return
      }
      // Refused, not thrown: a balance CHECK failing would be retried, dead-lettered and fail
      // again on every replay, leaving the movement REQUESTED for ever.
      const credit = await ledger.credit(tx, { customerId, assetName }, amount, causeOf(event, movementId))
      if (!credit.credited) {
        log.warn({ movementId, amount, size: credit.size }, 'deposit refused: the balance would pass 2^53−1')
        await movements.rejectDeposit(tx, movementId, 'BALANCE_LIMIT_EXCEEDED')
        return reject('BALANCE_LIMIT_EXCEEDED')
      }
      await emit(tx, event, 'DepositCompleted', { movementId, customerId, assetName, amount, completedAt: at() })
    },

    WithdrawalRequested: async (event, { tx }) => {
      const { movementId, customerId, assetName, amount } = event.data
      addLogFields({ customerId })
      if (await movements.lockWithdrawal(tx, movementId)) {
        log.warn({ movementId }, 'withdrawal already answered; a re-sent request is not applied again')
        return
      }
      let rejection: WithdrawalRejection | null = withdrawalRefusal(event.data)
      if (!rejection) {
        const hold = await ledger.hold(tx, { customerId, assetName }, amount, causeOf(event, movementId))
        if (!hold.held) rejection = 'INSUFFICIENT_BALANCE'
      }
      await movements.recordWithdrawal(tx, event.data, event.id, rejection)
      if (rejection) {
        await emit(tx, event, 'WithdrawalRejected', { movementId, customerId, assetName, amount, reason: rejection, rejectedAt: at() })
      } else {
        await emit(tx, event, 'WithdrawalReserved', { movementId, customerId, assetName, amount, reservedAt: at() })
      }
    },

    WithdrawalSent: async (event, { tx }) => {
      const { movementId, customerId } = event.data
      addLogFields({ customerId })
      const w = await movements.lockWithdrawal(tx, movementId)
      if (w?.status === 'COMPLETED') {
        log.warn({ movementId }, 'withdrawal already completed')
        return
      }
      // The customer service pays out only after WithdrawalReserved, and both events travel on
      // customer.events under one key, so this is out-of-order replay or a broken producer.
      // The money has left: guessing is wrong, so it goes to the DLQ to be replayed or fixed.
      if (!w || w.status !== 'RESERVED') {
        throw new PermanentError(`WithdrawalSent ${movementId} for a withdrawal that is ${w ? w.status : 'unknown'} here`)
      }
      if (w.amount !== event.data.amount || w.assetName !== event.data.assetName || w.customerId !== customerId) {
        throw new PermanentError(`WithdrawalSent ${movementId} does not match the reserved withdrawal`)
      }
      await ledger.change(tx, { customerId, assetName: w.assetName, sizeDelta: -w.amount, usableSizeDelta: 0 }, causeOf(event, movementId))
      await movements.completeWithdrawal(tx, movementId, event.id)
      await emit(tx, event, 'WithdrawalCompleted', {
        movementId,
        customerId,
        assetName: w.assetName,
        amount: w.amount,
        completedAt: at(),
      })
    },

    // The order saga's hot path is set-based: a run of OrderCreated (or of cancels, or of
    // rejects) costs a few statements in all, deciding in JS in partition order, so a
    // customer's second order in a run sees what the first one holds.
    OrderCreated: {
      batch: async (events, { tx }) => {
        const needs = events.map((e) => orderNeed(e.data))
        const accounts = events.map((e, i) => ({ customerId: e.data.customerId, assetName: needs[i]!.assetName }))
        // Reservations then balances, each in key order (as every other locker takes them), in one statement.
        const locked = await together(tx, {
          reservations: orders.parts.lock(events.map((e) => e.data.orderId)),
          balances: ledger.lockPart(accounts),
        })
        const known = orders.reservationsOf(locked.reservations)
        const outcomes = new Map([...known].map(([key, r]) => [key, r.outcome]))
        const balances = ledger.balancesOf(locked.balances)
        const usable = new Map([...balances].map(([key, b]) => [key, b.usableSize]))
        const holds: Array<BalanceChange & { cause: Cause }> = []
        const answers: Array<{ order: CreatedOrder; answer: CreatedAnswer }> = []
        const out: AnyEnvelope[] = []
        for (const [i, event] of events.entries()) {
          const d = event.data
          const need = needs[i]!
          const account = accounts[i]!
          const key = accountKey(account)
          const fields = { customerId: d.customerId, orderId: d.orderId, eventId: event.id }
          const outcome = outcomes.get(orderKey(d.orderId)) ?? null
          const a = answerOrderCreated(need, outcome, usable.get(key) ?? 0)
          if (a.answer === 'ALREADY_ANSWERED') {
            log.warn({ ...fields, outcome }, 'OrderCreated already answered; a re-sent one is not applied again')
            continue
          }
          const order: CreatedOrder = { ...d, reservedAsset: need.assetName, eventId: event.id }
          if (a.answer === 'RESERVED') {
            usable.set(key, (usable.get(key) ?? 0) - a.amount)
            holds.push({ ...account, sizeDelta: 0, usableSizeDelta: -a.amount, cause: causeOf(event, d.orderId) })
            answers.push({ order, answer: { outcome: 'RESERVED', amount: a.amount } })
            outcomes.set(orderKey(d.orderId), 'RESERVED')
            out.push(
              answer(event, 'AssetReserved', {
                orderId: d.orderId,
                customerId: d.customerId,
                assetName: need.assetName,
                amount: a.amount,
                reservedAt: at(),
              }),
            )
            continue
          }
          const closedBy = known.get(orderKey(d.orderId))?.closedBy
          if (a.closedFirst) log.info({ ...fields, closedBy }, 'order was closed before it was seen created; nothing is reserved')
          else if (!need.valid) log.warn({ ...fields, problem: need.problem }, 'order refused')
          answers.push({ order, answer: { outcome: 'FAILED' } })
          outcomes.set(orderKey(d.orderId), 'FAILED')
          out.push(
            answer(event, 'AssetReservationFailed', {
              orderId: d.orderId,
              customerId: d.customerId,
              assetName: need.assetName,
              amount: need.amount,
              availableAmount: a.available,
              reason: a.reason,
              failedAt: at(),
            }),
          )
        }
        const written = await together(tx, { ...ledger.changeParts(holds), created: orders.parts.created(answers) })
        if (holds.length) ledger.checkChanged(holds, written.balances)
        await outbox.add(tx, ...out)
      },
    },

    OrderCancelled: {
      batch: (events, { tx }) =>
        closeOrders(
          tx,
          events.map((event) => ({ closedBy: 'CANCELLED' as const, event })),
        ),
    },

    OrderRejected: {
      batch: (events, { tx }) =>
        closeOrders(
          tx,
          events.map((event) => ({ closedBy: 'REJECTED' as const, event })),
        ),
    },
  })

  /** Cancels and rejects of a run, in order: one lock, then one statement for all their writes. */
  async function closeOrders(
    tx: Queryable,
    closes: Array<
      { closedBy: 'CANCELLED'; event: Envelope<'OrderCancelled'> } | { closedBy: 'REJECTED'; event: Envelope<'OrderRejected'> }
    >,
  ): Promise<void> {
    const known = await orders.lockMany(
      tx,
      closes.map((c) => c.event.data.orderId),
    )
    const tombstones: Tombstone[] = []
    const releases: Array<{ orderId: string; amount: number; closedBy: ClosedBy }> = []
    const changes: Array<BalanceChange & { cause: Cause }> = []
    const out: AnyEnvelope[] = []
    for (const c of closes) {
      const { event, closedBy } = c
      const d = event.data
      const fields = { customerId: d.customerId, orderId: d.orderId, eventId: event.id }
      const r = known.get(orderKey(d.orderId))
      if (!r) {
        const t: Tombstone = { ...d, price: c.closedBy === 'CANCELLED' ? c.event.data.price : null, closedBy }
        tombstones.push(t)
        known.set(orderKey(d.orderId), tombstoneRow(t))
        log.info(
          fields,
          `${closedBy === 'CANCELLED' ? 'cancel' : 'reject'} of an order not seen yet; remembered so its OrderCreated reserves nothing`,
        )
        continue
      }
      let amount: number
      if (c.closedBy === 'CANCELLED') {
        // An order is cancelled once. What is still held after a cancel belongs to fills matched
        // before it, which still settle; a second cancel must not take it.
        if (r.closedBy) {
          log.warn({ ...fields, closedBy: r.closedBy }, 'cancel of an order already closed; nothing released')
          continue
        }
        const cancelled = c.event.data
        if (r.price !== null && r.price !== cancelled.price)
          log.warn({ ...fields, held: r.price, cancelled: cancelled.price }, 'cancel price differs; using the reserved one')
        amount =
          r.outcome === 'RESERVED'
            ? cancelRelease({ side: r.side, price: r.price!, held: r.heldAmount, cancelledSize: cancelled.cancelledSize })
            : 0
      } else {
        // A rejected order never filled, so everything still held goes back (a late reservation included).
        amount = r.heldAmount
      }
      releases.push({ orderId: r.orderId, amount, closedBy })
      known.set(orderKey(d.orderId), {
        ...r,
        heldAmount: r.heldAmount - amount,
        releasedAmount: r.releasedAmount + amount,
        closedBy: r.closedBy ?? closedBy,
      })
      if (amount === 0 || r.reservedAsset === null) continue
      changes.push({
        customerId: r.customerId,
        assetName: r.reservedAsset,
        sizeDelta: 0,
        usableSizeDelta: amount,
        cause: causeOf(event, r.orderId),
      })
      out.push(
        answer(event, 'AssetReleased', {
          orderId: r.orderId,
          customerId: r.customerId,
          assetName: r.reservedAsset,
          amount,
          reason: closedBy === 'CANCELLED' ? 'ORDER_CANCELLED' : 'ORDER_REJECTED',
          releasedAt: at(),
        }),
      )
    }
    // One statement: tombstones are new rows, releases change rows stored before (a release of a
    // tombstone written in this run is 0 and changes nothing), balances another table.
    const written = await together(tx, {
      tombstones: orders.parts.tombstones(tombstones),
      releases: orders.parts.releases(releases),
      ...ledger.changeParts(changes),
    })
    if (changes.length) ledger.checkChanged(changes, written.balances)
    await outbox.add(tx, ...out)
  }
}
