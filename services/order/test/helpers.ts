import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import { newEnvelope, topicOf, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import type { CreateOrderRequest, GrpcMethod, GrpcRequest, GrpcResponse, Order__Output } from '@brokerage/contracts/grpc'
import { AppError, createDb, createEventCodec, createGrpcClient, grpcService } from '@brokerage/platform'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { createCollector, createTestDatabase, eventually } from '@brokerage/platform/testing'
import { startOrderService, type OrderServiceOptions } from '../src/app.js'

// One order service per test, on its own database and bus, called over real gRPC and fed
// by events published on the real pglog bus, as other services would.

export const OUTPUT_TOPICS = ['order.events', 'engine.commands']

export type ProtoOrder = Order__Output

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
  // Registered first so it runs first (after-hooks run in order): everything stops before the databases are dropped.
  const cleanup: Array<() => Promise<unknown>> = []
  t.after(async () => {
    for (const fn of cleanup.reverse()) await fn()
  })
  const databaseUrl = await createTestDatabase(t, 'order')
  const busUrl = await createTestDatabase(t, 'bus')
  /** An instance of the service on this test's databases, with a gRPC client to it. */
  async function instance() {
    const svc = await startOrderService({
      config: { databaseUrl, bus: { kind: 'pglog', url: busUrl }, httpPort: 0, grpcPort: 0, logLevel: 'silent' },
      sweepIntervalMs: 0,
      ...opts,
    })
    cleanup.push(() => svc.stop())
    const client = createGrpcClient(grpcService('order', 'brokerage.order.v1.OrderService'), `127.0.0.1:${svc.runtime.ports.grpc}`, 'order')
    cleanup.push(async () => client.close())
    return { svc, client }
  }
  const { svc, client } = await instance()
  const db = createDb({ url: databaseUrl })
  cleanup.push(() => db.close())
  const bus = await createPgLogBus({ url: busUrl })
  cleanup.push(() => bus.close())
  const codec = createEventCodec()

  const events = createCollector<AnyEnvelope>()
  for (const topic of OUTPUT_TOPICS) await bus.ensureTopic(topic)
  const consumer = await bus.consume({
    groupId: `test-${randomUUID()}`,
    topics: OUTPUT_TOPICS,
    handleBatch: async (batch) => {
      for (const m of batch.messages) events.push((await codec.decode(m.value)) as AnyEnvelope)
    },
  })
  cleanup.push(() => consumer.stop())

  async function publish(...envelopes: AnyEnvelope[]) {
    const records = []
    for (const e of envelopes) records.push({ topic: topicOf(e.type), key: e.key, value: await codec.encode(e) })
    await bus.publish(records)
  }

  /** Publishes and waits until the service's consumer group has committed past it (handled, or skipped as a duplicate). */
  async function deliver(...envelopes: AnyEnvelope[]) {
    await publish(...envelopes)
    const topics = [...new Set(envelopes.map((e) => topicOf(e.type)))]
    await eventually(async () => (await bus.lag('order', topics)).every((p) => p.lag === 0), { what: 'the service to catch up' })
  }

  function send<T extends EventType>(type: T, data: EventData<T>): Promise<Envelope<T>> {
    const e = newEnvelope(type, data)
    return deliver(e as AnyEnvelope).then(() => e)
  }

  /**
   * Every event the service has emitted so far, straight from the log once its outbox is
   * empty: what is not there was never emitted (no waiting on a consumer to be sure).
   */
  async function emitted<T extends EventType>(type?: T, orderId?: string): Promise<Array<Envelope<T>>> {
    await eventually(async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox')).rows[0]!.n === 0, {
      what: 'the outbox to drain',
    })
    const out: AnyEnvelope[] = []
    for (const topic of OUTPUT_TOPICS) {
      for (let p = 0; p < (await bus.partitionsOf(topic)); p++) {
        for (const m of await bus.read(topic, p, 0, 10_000)) out.push((await codec.decode(m.value)) as AnyEnvelope)
      }
    }
    return out.filter((e) => (!type || e.type === type) && (!orderId || (e.data as { orderId?: string }).orderId === orderId)) as Array<
      Envelope<T>
    >
  }

  /** Waits for one event of `type` about `orderId`. */
  async function next<T extends EventType>(type: T, orderId?: string): Promise<Envelope<T>> {
    const match = (e: AnyEnvelope) => e.type === type && (!orderId || (e.data as { orderId?: string }).orderId === orderId)
    const items = await events.until((all) => all.some(match), { what: `${type}${orderId ? ` for ${orderId}` : ''}` })
    return items.find(match) as Envelope<T>
  }

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

  const call = <M extends GrpcMethod<'order'>>(method: M, request: GrpcRequest<'order', M>) =>
    client.call<GrpcResponse<'order', M>>(method, request)

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

  async function reserve(order: ProtoOrder) {
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

/** The AppError a call failed with (the test fails if it succeeded). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    if (err instanceof AppError) return err
    throw err
  }
  throw new Error('expected the call to fail')
}
