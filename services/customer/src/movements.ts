import { randomUUID } from 'node:crypto'
import { newEnvelope } from '@brokerage/contracts'
import { AppError, type Db, type Outbox } from '@brokerage/platform'
import { notFound } from './customers.js'
import { mayActFor, type Actor, type Movement, type PageOf } from './domain.js'
import { fingerprintOf, type Idempotency } from './idempotency.js'
import type { Store } from './store.js'
import { DEFAULT_ASSET, type Page } from './validation.js'

// Deposit and withdrawal requests. A request stores a REQUESTED movement and its event in
// one transaction and answers at once; the asset service carries it out (handlers.ts).

export interface MovementRequest {
  customerId: string
  assetName: string
  amount: number
}

export function createMovements(deps: { db: Db; store: Store; outbox: Outbox; idempotency: Idempotency; now: () => Date }) {
  const { db, store, outbox, idempotency, now } = deps
  const load = async (id: string) => (await store.movement(db, id)) ?? Promise.reject(notFound('movement'))

  async function request(
    actor: Actor,
    kind: Movement['kind'],
    input: MovementRequest & { iban: string | null },
    idempotencyKey: string,
  ): Promise<Movement> {
    // Another customer's account answers as a missing one, before anything else is said about it.
    if (actor.role === 'CUSTOMER' && input.customerId !== actor.subject) throw notFound('customer')
    if (kind === 'DEPOSIT' && actor.role === 'CUSTOMER' && input.assetName !== DEFAULT_ASSET) {
      throw new AppError('FORBIDDEN', `A customer may deposit ${DEFAULT_ASSET} only`)
    }
    const operation = kind === 'DEPOSIT' ? 'RequestDeposit' : 'RequestWithdrawal'
    const idempotent = idempotencyKey
      ? { operation, actor: actor.subject, key: idempotencyKey, fingerprint: fingerprintOf({ ...input }) }
      : null
    const earlier = await idempotency.replay(idempotent, load)
    if (earlier) return earlier

    const at = now()
    const movement: Movement = {
      id: randomUUID(),
      kind,
      ...input,
      status: 'REQUESTED',
      rejectionReason: null,
      sentAt: null,
      createdAt: at,
      updatedAt: at,
    }
    return idempotency.run(idempotent, { resourceId: movement.id }, load, async (tx) => {
      // FOR SHARE: a suspension committing meanwhile waits for this request, or this one sees it.
      const customer = await store.customer(tx, input.customerId, 'share')
      if (!customer || !mayActFor(actor, customer)) throw notFound('customer')
      if (kind === 'WITHDRAWAL' && customer.status === 'SUSPENDED') {
        throw new AppError('CONFLICT', 'A suspended customer may not withdraw', { details: { status: customer.status } })
      }
      await store.insertMovement(tx, movement, actor)
      const common = {
        movementId: movement.id,
        customerId: movement.customerId,
        assetName: movement.assetName,
        amount: movement.amount,
        requestedAt: at.toISOString(),
      }
      await outbox.add(
        tx,
        kind === 'DEPOSIT'
          ? newEnvelope('DepositRequested', common, { correlationId: actor.requestId })
          : newEnvelope('WithdrawalRequested', { ...common, iban: movement.iban }, { correlationId: actor.requestId }),
      )
      return movement
    })
  }

  return {
    requestDeposit: (actor: Actor, input: MovementRequest, idempotencyKey: string) =>
      request(actor, 'DEPOSIT', { ...input, iban: null }, idempotencyKey),

    requestWithdrawal: (actor: Actor, input: MovementRequest & { iban: string | null }, idempotencyKey: string) =>
      request(actor, 'WITHDRAWAL', input, idempotencyKey),

    async list(customerId: string, page: Page): Promise<PageOf<Movement>> {
      if (!(await store.customer(db, customerId))) throw notFound('customer')
      return store.listMovements(db, customerId, page)
    },
  }
}

export type Movements = ReturnType<typeof createMovements>
