import { newEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import { addLogFields, defineHandlers, PermanentError, type Logger, type Outbox, type Queryable } from '@brokerage/platform'
import { cancelRelease, orderNeed, withdrawalRefusal, type DepositRejection, type WithdrawalRejection } from './domain.js'
import type { Cause, Ledger } from './ledger.js'
import type { Movements } from './movements.js'
import type { CreatedOrder, OrderReservations } from './reservations.js'

// Every balance change is a reaction to one of these events. The consumer runs each
// handler once per event, in one transaction with its inbox row; the events a handler
// emits go to the outbox in that same transaction.
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

  function emit<T extends EventType>(tx: Queryable, cause: Envelope, type: T, data: EventData<T>): Promise<void> {
    return outbox.add(tx, newEnvelope(type, data, { causedBy: cause, now }))
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

    OrderCreated: async (event, { tx }) => {
      const d = event.data
      addLogFields({ customerId: d.customerId, orderId: d.orderId })
      const existing = await orders.lock(tx, d.orderId)
      if (existing && existing.outcome !== 'AWAITING_ORDER') {
        log.warn({ outcome: existing.outcome }, 'OrderCreated already answered; a re-sent one is not applied again')
        return
      }
      const need = orderNeed(d)
      const created: CreatedOrder = { ...d, reservedAsset: need.assetName, eventId: event.id }
      const account = { customerId: d.customerId, assetName: need.assetName }
      const fail = async (reason: 'INSUFFICIENT_BALANCE' | 'INVALID_ORDER', availableAmount: number) => {
        await orders.recordCreated(tx, created, { outcome: 'FAILED' })
        await emit(tx, event, 'AssetReservationFailed', {
          orderId: d.orderId,
          customerId: d.customerId,
          assetName: need.assetName,
          amount: need.amount,
          availableAmount,
          reason,
          failedAt: at(),
        })
      }

      if (existing) {
        log.info({ closedBy: existing.closedBy }, 'order was closed before it was seen created; nothing is reserved')
        return fail('INVALID_ORDER', await ledger.usable(tx, account))
      }
      if (!need.valid) {
        log.warn({ problem: need.problem }, 'order refused')
        return fail('INVALID_ORDER', await ledger.usable(tx, account))
      }
      const hold = await ledger.hold(tx, account, need.amount, causeOf(event, d.orderId))
      if (!hold.held) return fail('INSUFFICIENT_BALANCE', hold.available)
      await orders.recordCreated(tx, created, { outcome: 'RESERVED', amount: need.amount })
      await emit(tx, event, 'AssetReserved', {
        orderId: d.orderId,
        customerId: d.customerId,
        assetName: need.assetName,
        amount: need.amount,
        reservedAt: at(),
      })
    },

    OrderCancelled: async (event, { tx }) => {
      const d = event.data
      addLogFields({ customerId: d.customerId, orderId: d.orderId })
      const r = await orders.lock(tx, d.orderId)
      if (!r) {
        await orders.tombstone(tx, { ...d, closedBy: 'CANCELLED' })
        log.info('cancel of an order not seen yet; remembered so its OrderCreated reserves nothing')
        return
      }
      // An order is cancelled once. What is still held after a cancel belongs to fills matched
      // before it, which still settle; a second cancel must not take it.
      if (r.closedBy) {
        log.warn({ closedBy: r.closedBy }, 'cancel of an order already closed; nothing released')
        return
      }
      if (r.price !== null && r.price !== d.price)
        log.warn({ held: r.price, cancelled: d.price }, 'cancel price differs; using the reserved one')
      const amount =
        r.outcome === 'RESERVED' ? cancelRelease({ side: r.side, price: r.price!, held: r.heldAmount, cancelledSize: d.cancelledSize }) : 0
      await release(tx, event, r.orderId, r.customerId, r.reservedAsset, amount, 'CANCELLED')
    },

    OrderRejected: async (event, { tx }) => {
      const d = event.data
      addLogFields({ customerId: d.customerId, orderId: d.orderId })
      const r = await orders.lock(tx, d.orderId)
      if (!r) {
        await orders.tombstone(tx, { ...d, price: null, closedBy: 'REJECTED' })
        log.info('reject of an order not seen yet; remembered so its OrderCreated reserves nothing')
        return
      }
      // A rejected order never filled, so everything still held goes back (a late reservation included).
      await release(tx, event, r.orderId, r.customerId, r.reservedAsset, r.heldAmount, 'REJECTED')
    },
  })

  async function release(
    tx: Queryable,
    event: Envelope<'OrderCancelled' | 'OrderRejected'>,
    orderId: string,
    customerId: string,
    assetName: string | null,
    amount: number,
    closedBy: 'CANCELLED' | 'REJECTED',
  ): Promise<void> {
    await orders.release(tx, orderId, amount, closedBy)
    if (amount === 0 || assetName === null) return
    await ledger.change(tx, { customerId, assetName, sizeDelta: 0, usableSizeDelta: amount }, causeOf(event, orderId))
    await emit(tx, event, 'AssetReleased', {
      orderId,
      customerId,
      assetName,
      amount,
      reason: closedBy === 'CANCELLED' ? 'ORDER_CANCELLED' : 'ORDER_REJECTED',
      releasedAt: at(),
    })
  }
}
