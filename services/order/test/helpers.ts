import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { newEnvelope, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import type { CreateOrderRequest, Order__Output } from '@brokerage/contracts/grpc'
import { serviceUnderTest } from '@brokerage/platform/testing'
import { startOrderService, type OrderServiceOptions } from '../src/app.js'

export { failure } from '@brokerage/platform/testing'

// One order service per test, on its own database and bus, called over real gRPC and fed
// by events published on the real pglog bus, as other services would.

export const OUTPUT_TOPICS = ['order.events', 'engine.commands']

/** A clock that runs with real time, and that a test can move forward (or to a date) at once. */
export function testClock() {
  let offset = 0
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms: number) {
      offset += ms
    },
    set(at: Date | string) {
      offset = new Date(at).getTime() - Date.now()
    },
  }
}

export async function startOrder(t: TestContext, opts: Omit<OrderServiceOptions, 'config'> = {}) {
  const sut = await serviceUnderTest(t, { name: 'order', outputs: OUTPUT_TOPICS, group: 'order' })
  const { db, bus, events, publish, deliver } = sut
  const databaseUrl = sut.databaseUrl
  /** An instance of the service on this test's databases, with a gRPC client to it. */
  async function instance() {
    const svc = await sut.start((config) => startOrderService({ config, sweepIntervalMs: 0, ...opts }))
    return { svc, client: sut.client(svc, 'order') }
  }
  const { svc, client } = await instance()

  function send<T extends EventType>(type: T, data: EventData<T>): Promise<Envelope<T>> {
    const e = newEnvelope(type, data)
    return deliver(e as AnyEnvelope).then(() => e)
  }

  /**
   * Every event the service has emitted so far, straight from the log once its outbox is
   * empty: what is not there was never emitted (no waiting on a consumer to be sure).
   */
  async function emitted<T extends EventType>(type?: T, orderId?: string): Promise<Array<Envelope<T>>> {
    return (await sut.emitted()).filter(
      (e) => (!type || e.type === type) && (!orderId || (e.data as { orderId?: string }).orderId === orderId),
    ) as Array<Envelope<T>>
  }

  /** Waits for one event of `type` about `orderId`. */
  const next = <T extends EventType>(type: T, orderId?: string): Promise<Envelope<T>> => sut.next(type, orderId ? { orderId } : {})

  async function customer(o: { tier?: 'STANDARD' | 'PREMIUM' | 'VIP'; status?: 'ACTIVE' | 'SUSPENDED'; brokerId?: string | null } = {}) {
    const customerId = randomUUID()
    await send('CustomerCreated', {
      customerId,
      name: 'Ayşe Yılmaz',
      email: `${customerId}@example.com`,
      tier: o.tier ?? 'STANDARD',
      status: o.status ?? 'ACTIVE',
      brokerId: o.brokerId ?? null,
      createdAt: new Date(Date.now() - 60_000).toISOString(),
    })
    return customerId
  }

  const { call } = client

  async function createOrder(req: CreateOrderRequest) {
    const res = await call('CreateOrder', {
      actor: { subject: 'admin', role: 'ADMIN', request_id: randomUUID() },
      asset_name: 'THYAO',
      side: 'BUY',
      size: 10,
      price: 25_000,
      ...req,
    })
    return res.order!
  }

  async function reserve(order: Order__Output) {
    return send('AssetReserved', {
      orderId: order.id,
      customerId: order.customer_id,
      assetName: order.side === 'BUY' ? 'TRY' : order.asset_name,
      amount: order.side === 'BUY' ? order.size * order.price : order.size,
      reservedAt: new Date().toISOString(),
    })
  }

  /** A CONFIRMED order of a fresh customer. */
  async function confirmedOrder(req: CreateOrderRequest = {}) {
    const customerId = await customer()
    const order = await createOrder({ customer_id: customerId, ...req })
    await reserve(order)
    return call('GetOrder', { id: order.id })
  }

  const stored = async (id: string) =>
    (
      await db.query<{ status: string; rejection_reason: string | null; cancel_requested_at: Date | null }>(
        'SELECT status, rejection_reason, cancel_requested_at FROM orders WHERE id = $1',
        [id],
      )
    ).rows[0]

  return {
    svc,
    client,
    databaseUrl,
    /** Another instance of the service sharing the databases and the bus (its consumer joins the same group). */
    instance,
    call,
    db,
    bus,
    publish,
    deliver,
    send,
    emitted,
    next,
    events,
    customer,
    createOrder,
    reserve,
    confirmedOrder,
    stored,
  }
}
