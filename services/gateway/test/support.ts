import { randomUUID } from 'node:crypto'
import type { TestContext } from 'node:test'
import type * as pb from '@brokerage/contracts/grpc'
import type { GrpcMethod, GrpcServiceName } from '@brokerage/contracts/grpc'
import {
  AppError,
  createGrpcServer,
  createLogger,
  grpcService,
  type CallContext,
  type GrpcHandlers,
  type ServiceConfig,
} from '@brokerage/platform'
import { createTestDatabase, teardown, testGrpcTls, testServiceConfig } from '@brokerage/platform/testing'
import { startGatewayService, type GatewayOptions } from '../src/app.js'
import type { ServiceAddresses } from '../src/clients.js'

// Small but real stand-ins for the services: a gRPC server built from the contracts' protos
// with the platform's createGrpcServer, answering from in-memory data and recording every
// call, so a test can assert both what the gateway answered and what it asked. Each
// stand-in is typed by the generated handler types, so it cannot drift from the protos.

export interface RecordedCall {
  method: string
  request: Record<string, unknown>
}

const AT = '2025-01-31T09:30:00.000Z'
const contact = (customerId: string) => ({
  customer_id: customerId,
  email: 'ada@example.com',
  phone: '',
  locale: 'en',
  push_subscriptions: [],
  vapid_public_key: 'BPublicKey',
})

export const ids = {
  broker1: randomUUID(),
  broker2: randomUUID(),
  c1: randomUUID(), // broker1's customer
  c2: randomUUID(), // broker2's customer
  c3: randomUUID(), // no broker
  order1: randomUUID(), // c1's
  order2: randomUUID(), // c2's
  missing: randomUUID(), // exists nowhere
}

export const PASSWORD = 'correct horse battery'

function customer(id: string, name: string, email: string, brokerId: string, tier: pb.Tier__Output = 'STANDARD'): pb.Customer__Output {
  return { id, name, email, tier, status: 'ACTIVE', broker_id: brokerId, created_at: AT, updated_at: AT }
}

function order(id: string, customerId: string): pb.Order__Output {
  return {
    id,
    customer_id: customerId,
    asset_name: 'AAPL',
    side: 'BUY',
    size: 10,
    price: 15_000,
    filled_size: 0,
    status: 'CONFIRMED',
    rejection_reason: '',
    created_at: AT,
    updated_at: AT,
    history: [
      { status: 'PENDING', at: AT, event_id: '', event_type: '', reason: '' },
      { status: 'CONFIRMED', at: AT, event_id: randomUUID(), event_type: 'AssetReserved', reason: '' },
    ],
  }
}

function paged<T>(items: T[], page: pb.PageRequest__Output | null) {
  const p = page?.page ?? 0
  const size = page?.size || 20
  return { content: items.slice(p * size, p * size + size), page: { page: p, size, total_elements: items.length } }
}

const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`)

/** Every service's handlers, by grpcService's name for it. */
export type StandIns = { [S in GrpcServiceName]: GrpcHandlers<S> }
// What the recording wrapper and overrides hold: any method of any service.
type AnyHandler = (request: object, ctx: CallContext) => Promise<unknown>

export function createWorld() {
  const calls: RecordedCall[] = []
  const customers = new Map<string, pb.Customer__Output>([
    [ids.c1, customer(ids.c1, 'Ada', 'ada@example.com', ids.broker1)],
    [ids.c2, customer(ids.c2, 'Bob', 'bob@example.com', ids.broker2)],
    [ids.c3, customer(ids.c3, 'Cem', 'cem@example.com', '')],
  ])
  const brokers = new Map<string, pb.Broker__Output>([
    [ids.broker1, { id: ids.broker1, name: 'Broker One', email: 'b1@example.com', created_at: AT }],
    [ids.broker2, { id: ids.broker2, name: 'Broker Two', email: 'b2@example.com', created_at: AT }],
  ])
  const accounts = new Map<string, pb.Principal__Output>([
    ['ada@example.com', principal(ids.c1, 'CUSTOMER', 'ada@example.com')],
    ['bob@example.com', principal(ids.c2, 'CUSTOMER', 'bob@example.com')],
    ['cem@example.com', principal(ids.c3, 'CUSTOMER', 'cem@example.com')],
    ['b1@example.com', principal(ids.broker1, 'BROKER', 'b1@example.com')],
    ['b2@example.com', principal(ids.broker2, 'BROKER', 'b2@example.com')],
  ])
  const orders = new Map<string, pb.Order__Output>([
    [ids.order1, order(ids.order1, ids.c1)],
    [ids.order2, order(ids.order2, ids.c2)],
  ])
  const movements: pb.Movement__Output[] = []
  const balances: pb.Balance__Output[] = [
    { customer_id: ids.c1, asset_name: 'TRY', size: 1_000_000, usable_size: 900_000 },
    { customer_id: ids.c2, asset_name: 'TRY', size: 500_000, usable_size: 500_000 },
    { customer_id: ids.c3, asset_name: 'AAPL', size: 7, usable_size: 7 },
  ]
  /** Replaced methods, keyed `service.Method` (e.g. `order.CreateOrder`). */
  const overrides = new Map<string, AnyHandler>()

  function principal(id: string, role: 'CUSTOMER' | 'BROKER', username: string): pb.Principal__Output {
    return {
      subject: id,
      role,
      username,
      customer_id: role === 'CUSTOMER' ? id : '',
      broker_id: role === 'BROKER' ? id : '',
      status: 'ACTIVE',
    }
  }

  function getCustomer(id: string) {
    const c = customers.get(id)
    if (!c) throw notFound('Customer')
    return c
  }
  function getOrder(id: string) {
    const o = orders.get(id)
    if (!o) throw notFound('Order')
    return o
  }
  function movement(kind: pb.MovementKind__Output, r: pb.RequestDepositRequest__Output & { iban?: string }) {
    getCustomer(r.customer_id)
    const m: pb.Movement__Output = {
      id: randomUUID(),
      customer_id: r.customer_id,
      kind,
      asset_name: r.asset_name || 'TRY',
      amount: r.amount,
      iban: r.iban ?? '',
      status: 'REQUESTED',
      rejection_reason: '',
      created_at: AT,
      updated_at: AT,
    }
    movements.unshift(m)
    return m
  }

  const services: StandIns = {
    identity: {
      Authenticate: async (r) => {
        const a = accounts.get(r.username)
        if (!a || r.password !== PASSWORD) throw new AppError('UNAUTHENTICATED', 'wrong username or password')
        return a
      },
      SetPassword: async () => {
        throw new AppError('NOT_FOUND', 'not used')
      },
      ChangePassword: async () => {
        throw new AppError('NOT_FOUND', 'not used')
      },
    },
    customer: {
      CreateCustomer: async (r) => {
        if ([...customers.values()].some((c) => c.email === r.email)) throw new AppError('ALREADY_EXISTS', 'Email already registered')
        const c = customer(randomUUID(), r.name, r.email, r.broker_id, r.tier === 'TIER_UNSPECIFIED' ? 'STANDARD' : r.tier)
        customers.set(c.id, c)
        return c
      },
      GetCustomer: async (r) => getCustomer(r.id),
      ListCustomers: async (r) =>
        paged(
          [...customers.values()].filter(
            (c) =>
              (!r.broker_id || c.broker_id === r.broker_id) &&
              (r.tier === 'TIER_UNSPECIFIED' || c.tier === r.tier) &&
              (r.status === 'CUSTOMER_STATUS_UNSPECIFIED' || c.status === r.status),
          ),
          r.page,
        ),
      SetTier: async (r) => Object.assign(getCustomer(r.id), { tier: r.tier }),
      SetStatus: async (r) => Object.assign(getCustomer(r.id), { status: r.status }),
      AssignBroker: async (r) => Object.assign(getCustomer(r.id), { broker_id: r.broker_id }),
      CreateBroker: async (r) => {
        const b = { id: randomUUID(), name: r.name, email: r.email, created_at: AT }
        brokers.set(b.id, b)
        return b
      },
      ListBrokers: async (r) => paged([...brokers.values()], r.page),
      RequestDeposit: async (r) => movement('DEPOSIT', r),
      RequestWithdrawal: async (r) => movement('WITHDRAWAL', r),
      ListMovements: async (r) =>
        paged(
          movements.filter((m) => m.customer_id === r.customer_id),
          r.page,
        ),
    },
    asset: {
      ListBalances: async (r) => ({
        balances: balances.filter(
          (b) =>
            (r.customer_ids.length === 0 || r.customer_ids.includes(b.customer_id)) && (!r.asset_name || b.asset_name === r.asset_name),
        ),
      }),
    },
    order: {
      CreateOrder: async (r) => {
        getCustomer(r.customer_id)
        const o: pb.Order__Output = {
          ...order(randomUUID(), r.customer_id),
          asset_name: r.asset_name,
          side: r.side,
          size: r.size,
          price: r.price,
          status: 'PENDING',
          history: [],
        }
        orders.set(o.id, o)
        return { order: o, replayed: false }
      },
      GetOrder: async (r) => getOrder(r.id),
      ListOrders: async (r) =>
        paged(
          [...orders.values()].filter((o) => !r.customer_id || o.customer_id === r.customer_id),
          r.page,
        ),
      CancelOrder: async (r) => {
        const o = getOrder(r.id)
        if (o.status === 'CANCELED') throw new AppError('CONFLICT', 'Order is already canceled')
        return { ...o, history: [] }
      },
      MatchOrder: async (r) => ({ ...getOrder(r.id), history: [] }),
      ListTrades: async (r) => {
        const o = getOrder(r.order_id)
        return {
          trades: [
            { trade_id: randomUUID(), order_id: o.id, asset_name: o.asset_name, side: o.side, size: 4, price: 14_900, settled_at: AT },
          ],
        }
      },
    },
    processor: {
      ListMarkets: async () => ({ markets: [{ asset_name: 'AAPL', crossing: false, updated_at: AT }] }),
      SetMarket: async (r) => ({ asset_name: r.asset_name, crossing: r.crossing, updated_at: AT }),
      GetOrderBook: async (r) => ({
        asset_name: r.asset_name,
        bids: [{ price: 15_000, size: 10, orders: 1 }],
        asks: [{ price: 15_100, size: 3, orders: 2 }],
        as_of: AT,
      }),
    },
    notification: {
      ListNotifications: async (r) =>
        paged(
          [
            {
              id: randomUUID(),
              customer_id: r.customer_id,
              event_id: randomUUID(),
              event_type: 'OrderCancelled',
              title: 'Order cancelled',
              body: 'Your order was cancelled',
              created_at: AT,
              deliveries: [{ channel: 'EMAIL', status: 'SENT', attempts: 1, last_error: '', sent_at: AT }],
            },
          ],
          r.page,
        ),
      GetPreferences: async (r) => ({
        customer_id: r.customer_id,
        preferences: [{ event_type: 'OrderCancelled', channel: 'EMAIL', enabled: true }],
      }),
      SetPreferences: async (r) => ({ customer_id: r.customer_id, preferences: r.preferences }),
      GetContact: async (r) => contact(r.customer_id),
      SetContact: async (r) => ({ ...contact(r.customer_id), phone: r.phone, locale: r.locale || 'en' }),
      AddPushSubscription: async (r) => ({ id: randomUUID(), endpoint: r.endpoint, created_at: AT }),
      RemovePushSubscription: async () => ({}),
    },
    audit: {
      ListEvents: async (r) =>
        paged(
          [
            {
              sequence: 7,
              event_id: randomUUID(),
              type: 'OrderCreated',
              version: 1,
              topic: 'order.events',
              key: r.customer_id || ids.c1,
              occurred_at: AT,
              recorded_at: AT,
              correlation_id: 'req-1',
              causation_id: '',
              data_json: JSON.stringify({ orderId: r.order_id || ids.order1, size: 10 }),
              hash: 'ab',
              prev_hash: 'aa',
            },
          ],
          r.page,
        ),
      GetComplianceReport: async (r) => ({
        generated_at: AT,
        from: r.from,
        to: r.to,
        chain_intact: true,
        first_broken_sequence: 0,
        head_hash: 'ab',
        event_count: 0,
        events: [],
      }),
      GetAnalytics: async () => ({
        volume: [{ asset_name: 'AAPL', day: '2025-01-31', size: 4, notional: 59_600, trades: 1 }],
        order_statuses: [{ status: 'MATCHED', orders: 1 }],
        saga_durations: { count: 1, p50_ms: 40, p95_ms: 40, max_ms: 40 },
        sagas: [{ name: 'CREATED_TO_MATCHED', count: 1, p50_ms: 40, p95_ms: 40, p99_ms: 40, max_ms: 40 }],
        reasons: [{ event_type: 'OrderRejected', reason: 'INSUFFICIENT_BALANCE', count: 2 }],
      }),
    },
  }

  return {
    calls,
    customers,
    orders,
    movements,
    services,
    /** Replaces one method's behaviour until the test ends (the stand-in stays callable through `services`). */
    override<S extends GrpcServiceName, M extends GrpcMethod<S>>(service: S, method: M, handler: GrpcHandlers<S>[M]) {
      overrides.set(`${service}.${method}`, handler as unknown as AnyHandler)
    },
    /** The override of a method, if any. */
    overrideOf(service: GrpcServiceName, method: string): AnyHandler | undefined {
      return overrides.get(`${service}.${method}`)
    },
    /** Calls of one method (`CreateOrder`), requests only. */
    requests(method: string) {
      return calls.filter((c) => c.method === method).map((c) => c.request)
    },
    /** Calls other than the rate limiter's tier lookups. */
    work() {
      return calls.filter((c) => c.method !== 'GetCustomer')
    },
  }
}

export type World = ReturnType<typeof createWorld>

/** Every service of the platform on one real gRPC server, answering from `world`. */
export async function startStubServices(t: TestContext, world: World): Promise<string> {
  const server = createGrpcServer({ log: createLogger({ service: 'stubs', level: 'silent' }), tls: testGrpcTls() })
  const serve = <S extends GrpcServiceName>(service: S) => {
    const recorded = Object.entries(world.services[service] as Record<string, AnyHandler>).map(([method, fn]): [string, AnyHandler] => [
      method,
      async (request, ctx) => {
        world.calls.push({ method, request: request as Record<string, unknown> })
        return (world.overrideOf(service, method) ?? fn)(request, ctx)
      },
    ])
    server.addService(grpcService(service), Object.fromEntries(recorded) as GrpcHandlers<S>)
  }
  for (const service of Object.keys(world.services) as GrpcServiceName[]) serve(service)
  const port = await server.listen(0)
  teardown(t).after(() => server.stop(100))
  return `127.0.0.1:${port}`
}

export function allServices(address: string): ServiceAddresses {
  return { customer: address, asset: address, order: address, processor: address, notification: address, audit: address }
}

/** A clock the test moves by hand. */
export function createClock(start = Date.now()) {
  let t = start
  return {
    now: () => t,
    advance(ms: number) {
      t += ms
    },
  }
}

export interface RequestOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/**
 * The gateway in-process on a fresh database, against the stubs, with an injected clock.
 * Stopped (before its database is dropped, and before the stubs) when the test ends.
 */
export async function startGateway(
  t: TestContext,
  opts: {
    world?: World
    services?: ServiceAddresses
    gateway?: Partial<GatewayOptions>
    databaseUrl?: string
    /** In-process memory unless given (the live feed's tests look at a real bus's consumer groups). */
    bus?: ServiceConfig['bus']
    /** A Confluent Schema Registry for the runtime's codec (SCHEMA_REGISTRY_URL). */
    schemaRegistryUrl?: string
  } = {},
) {
  const world = opts.world ?? createWorld()
  const services = opts.services ?? allServices(await startStubServices(t, world))
  const clock = createClock()
  const databaseUrl = opts.databaseUrl ?? (await createTestDatabase(teardown(t), 'gateway'))
  // The gateway publishes no events and serves no gRPC: an in-process bus, and no gRPC port.
  const gw = await startGatewayService({
    config: testServiceConfig({
      databaseUrl,
      bus: opts.bus ?? { kind: 'memory' },
      grpcPort: undefined,
      ...(opts.schemaRegistryUrl ? { schemaRegistryUrl: opts.schemaRegistryUrl } : {}),
    }),
    gateway: { services, admin: { username: 'admin', password: 'admin' }, now: clock.now, ...opts.gateway },
  })
  teardown(t).after(() => gw.stop())

  async function request(method: string, url: string, o: RequestOptions = {}) {
    const res = await gw.runtime.http.inject({
      method: method as 'GET',
      url,
      ...(o.body === undefined ? {} : { payload: o.body as object }),
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...o.headers },
    })
    return res
  }

  async function login(username: string, password = PASSWORD): Promise<string> {
    const res = await request('POST', '/api/auth/login', { body: { username, password } })
    if (res.statusCode !== 200) throw new Error(`login ${username} answered ${res.statusCode}: ${res.body}`)
    return res.json().access_token as string
  }

  return {
    gw,
    world,
    clock,
    databaseUrl,
    request,
    login,
    /** Tokens of the fixture's people; the sign-in calls are then forgotten. */
    async tokens() {
      const tokens = {
        admin: await login('admin', 'admin'),
        c1: await login('ada@example.com'),
        c2: await login('bob@example.com'),
        b1: await login('b1@example.com'),
        b2: await login('b2@example.com'),
      }
      world.calls.length = 0
      return tokens
    },
  }
}

export type TestGateway = Awaited<ReturnType<typeof startGateway>>

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Asserts the one error shape and returns its error part. */
export function errorOf(res: { statusCode: number; json: () => unknown; headers: Record<string, unknown> }) {
  const body = res.json() as { error?: { code?: unknown; message?: unknown; details?: unknown }; requestId?: unknown }
  if (!body.error || typeof body.error.code !== 'string' || typeof body.error.message !== 'string') {
    throw new Error(`not the error shape: ${JSON.stringify(body)}`)
  }
  if (typeof body.requestId !== 'string' || body.requestId !== res.headers['x-request-id']) {
    throw new Error(`error body requestId ${String(body.requestId)} does not match X-Request-Id ${String(res.headers['x-request-id'])}`)
  }
  return body.error as { code: string; message: string; details?: Array<{ field: string; message: string }> }
}
