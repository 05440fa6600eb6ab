import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { newEnvelope, TOPICS, type AnyEnvelope, type Envelope, type EventData } from '@brokerage/contracts'
import { serviceUnderTest } from '@brokerage/platform/testing'
import { startAssetService } from '../src/app.js'
import { checkConservation } from '../src/conservation.js'

// One asset service per test, in-process, on its own database and bus: input events are
// published on the bus as the other services would, output events are read off
// asset.events and asset.movements by a test consumer group, balances are read over real gRPC.

export const IBAN = 'TR330006100519786457841326'
const at = () => new Date().toISOString()

export async function startHarness(t: TestContext) {
  const sut = await serviceUnderTest(t, {
    name: 'asset',
    outputs: [TOPICS.asset, TOPICS.assetMovements],
    config: { retry: { attempts: 2, initialDelayMs: 10, maxDelayMs: 50 } },
  })
  const { db, bus, events, publish } = sut
  const svc = await sut.start((config) => startAssetService({ config }))
  const client = sut.client(svc, 'asset')

  /** Waits for the events the service emitted in answer to `cause` (at least `count`). */
  async function answersTo(cause: AnyEnvelope, count = 1): Promise<AnyEnvelope[]> {
    const caused = (items: AnyEnvelope[]) => items.filter((e) => e.causationId === cause.id)
    return caused(await events.until((items) => caused(items).length >= count, { what: `${count} answer(s) to ${cause.type}` }))
  }

  /** Publishes one event and returns its one answer, checked to be of the expected type. */
  async function send<T extends AnyEnvelope['type']>(event: AnyEnvelope, answer: T): Promise<Envelope<T>> {
    await publish(event)
    const [reply] = await answersTo(event)
    assert.equal(reply!.type, answer, `answer to ${event.type}`)
    assert.equal(reply!.correlationId, event.correlationId, 'the answer continues the correlation')
    return reply as Envelope<T>
  }

  /**
   * Proves every event published so far on `topic` for this customer has been handled:
   * a probe behind them (same partition) that the service answers without changing any
   * balance. The answers come out in the order the inputs were handled, so once the
   * probe's answer is here, an answer to anything before it would be here too.
   */
  async function settle(customerId: string, topic: 'order.events' | 'customer.events'): Promise<void> {
    const probe =
      topic === 'order.events'
        ? newEnvelope('OrderCreated', { ...orderTerms(customerId, { size: 0 }), orderId: randomUUID() })
        : newEnvelope('WithdrawalRequested', {
            movementId: randomUUID(),
            customerId,
            assetName: 'PROBE',
            amount: 0,
            iban: null,
            requestedAt: at(),
          })
    await publish(probe)
    await answersTo(probe)
  }

  /** The events emitted in answer to `cause` so far (call after settle to see "none"). */
  const answered = (cause: AnyEnvelope) => events.items.filter((e) => e.causationId === cause.id)

  async function balance(customerId: string, assetName = 'TRY') {
    const { rows } = await db.query<{ size: number; usable_size: number }>(
      'SELECT size, usable_size FROM balances WHERE customer_id = $1 AND asset_name = $2',
      [customerId, assetName],
    )
    return rows[0] ? { size: rows[0].size, usable: rows[0].usable_size } : null
  }

  async function journal(referenceId: string) {
    const { rows } = await db.query<{
      customer_id: string
      asset_name: string
      size_delta: number
      usable_size_delta: number
      cause_event_id: string
      cause_event_type: string
    }>(
      `SELECT customer_id, asset_name, size_delta, usable_size_delta, cause_event_id, cause_event_type
       FROM journal WHERE reference_id = $1 ORDER BY id`,
      [referenceId],
    )
    return rows
  }

  async function reservation(orderId: string) {
    const { rows } = await db.query<{
      outcome: string
      reserved_asset: string | null
      reserved_amount: number
      held_amount: number
      released_amount: number
      closed_by: string | null
    }>(
      'SELECT outcome, reserved_asset, reserved_amount, held_amount, released_amount, closed_by FROM order_reservations WHERE order_id = $1',
      [orderId],
    )
    return rows[0] ?? null
  }

  async function withdrawal(movementId: string) {
    const { rows } = await db.query<{ status: string; amount: number; rejection_reason: string | null }>(
      'SELECT status, amount, rejection_reason FROM withdrawals WHERE movement_id = $1',
      [movementId],
    )
    return rows[0] ?? null
  }

  /** SPEC §2's invariants hold over everything the service has stored. */
  async function assertConserved(): Promise<void> {
    assert.deepEqual(await checkConservation(db), [])
  }

  /** Credits the customer through a real DepositRequested and waits for DepositCompleted. */
  async function fund(customerId: string, amount: number, assetName = 'TRY'): Promise<void> {
    await send(deposit(customerId, amount, assetName), 'DepositCompleted')
  }

  return {
    svc,
    db,
    bus,
    client,
    events,
    publish,
    answersTo,
    send,
    settle,
    answered,
    balance,
    journal,
    reservation,
    withdrawal,
    assertConserved,
    fund,
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>

// Input events, as the customer and order services would publish them.

export function deposit(customerId: string, amount: number, assetName = 'TRY') {
  return newEnvelope('DepositRequested', { movementId: randomUUID(), customerId, assetName, amount, requestedAt: at() })
}

export function withdrawalRequested(customerId: string, amount: number, o: { assetName?: string; iban?: string | null } = {}) {
  const assetName = o.assetName ?? 'TRY'
  const iban = o.iban !== undefined ? o.iban : assetName === 'TRY' ? IBAN : null
  return newEnvelope('WithdrawalRequested', { movementId: randomUUID(), customerId, assetName, amount, iban, requestedAt: at() })
}

export function withdrawalSent(request: Envelope<'WithdrawalRequested'>) {
  const { movementId, customerId, assetName, amount, iban } = request.data
  return newEnvelope('WithdrawalSent', { movementId, customerId, assetName, amount, iban, sentAt: at() })
}

function orderTerms(customerId: string, o: Partial<EventData<'OrderCreated'>> = {}): EventData<'OrderCreated'> {
  return {
    orderId: randomUUID(),
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    size: 10,
    price: 15_000,
    tier: 'STANDARD',
    createdAt: at(),
    ...o,
  }
}

export function orderCreated(customerId: string, o: Partial<EventData<'OrderCreated'>> = {}) {
  return newEnvelope('OrderCreated', orderTerms(customerId, o))
}

export function orderCancelled(order: Envelope<'OrderCreated'>, cancelledSize = order.data.size) {
  const { orderId, customerId, assetName, side, price } = order.data
  return newEnvelope(
    'OrderCancelled',
    { orderId, customerId, assetName, side, price, cancelledSize, reason: 'REQUESTED', cancelledAt: at() },
    { correlationId: order.correlationId },
  )
}

export function orderRejected(order: Envelope<'OrderCreated'>, reason: EventData<'OrderRejected'>['reason'] = 'RESERVATION_TIMEOUT') {
  const { orderId, customerId, assetName, side } = order.data
  return newEnvelope(
    'OrderRejected',
    { orderId, customerId, assetName, side, reason, rejectedAt: at() },
    { correlationId: order.correlationId },
  )
}
