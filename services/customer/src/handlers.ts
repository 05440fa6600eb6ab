import { newEnvelope, type Envelope } from '@brokerage/contracts'
import { defineHandlers, PermanentError, type HandlerContext, type Logger, type Outbox } from '@brokerage/platform'
import { transition, type MovementAnswer } from './domain.js'
import type { Payouts } from './payouts.js'
import type { Store } from './store.js'

// The asset service's answers about deposits and withdrawals. The inbox already drops a
// redelivered event; transition() makes a repeated or overtaken answer (another event id,
// same meaning) change nothing either. Each handler runs in the inbox row's transaction.

export function createMovementHandlers(deps: { store: Store; outbox: Outbox; payouts: Payouts; log: Logger; now: () => Date }) {
  const { store, outbox, payouts, log, now } = deps

  async function onAnswer(event: Envelope<MovementAnswer>, { tx }: HandlerContext) {
    const { type, data } = event
    const movement = await store.movement(tx, data.movementId, 'update')
    // Movements are created before their request event is published, so an answer about an
    // unknown one, or one that disagrees with it, is a bug elsewhere: park it in the DLQ.
    if (!movement) throw new PermanentError(`${type} for unknown movement ${data.movementId}`)
    if (movement.customerId !== data.customerId || movement.assetName !== data.assetName || movement.amount !== data.amount) {
      throw new PermanentError(`${type} does not match movement ${movement.id}`)
    }
    const step = transition(movement, type)
    if (step.kind === 'mismatch') throw new PermanentError(`${type} answers a ${movement.kind} (${movement.id})`)
    if (step.kind === 'ignore') {
      if (step.unexpected)
        log.warn({ movementId: movement.id, status: movement.status, eventType: type }, 'answer contradicts movement; ignored')
      return
    }
    const at = now()
    if (!step.payOut) {
      const reason = 'reason' in data ? data.reason : undefined
      await store.updateMovement(tx, movement.id, { status: step.status, rejectionReason: reason }, at)
      return
    }
    const receipt = await payouts.send(tx, {
      movementId: movement.id,
      customerId: movement.customerId,
      assetName: movement.assetName,
      amount: movement.amount,
      iban: movement.iban,
    })
    await store.updateMovement(tx, movement.id, { status: step.status, sentAt: receipt.sentAt }, at)
    await outbox.add(
      tx,
      newEnvelope(
        'WithdrawalSent',
        {
          movementId: movement.id,
          customerId: movement.customerId,
          assetName: movement.assetName,
          amount: movement.amount,
          iban: movement.iban,
          sentAt: receipt.sentAt.toISOString(),
        },
        { causedBy: event },
      ),
    )
  }

  return defineHandlers({
    DepositCompleted: onAnswer,
    DepositRejected: onAnswer,
    WithdrawalReserved: onAnswer,
    WithdrawalRejected: onAnswer,
    WithdrawalCompleted: onAnswer,
  })
}
