import { fileURLToPath } from 'node:url'
import { createGrpcClient, createServiceRuntime, createSweeper, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createCustomerDirectory, type CustomerDirectory } from './customer-directory.js'
import { createCustomerReplica } from './customer-replica.js'
import { createOrderGrpc } from './grpc.js'
import { createFills } from './fills.js'
import { CONSUMED_TOPICS, createHandlers } from './handlers.js'
import { createOrders } from './orders.js'
import { startStatusListener } from './status-listener.js'
import { createOrderStore } from './store.js'

export interface OrderServiceOptions {
  config: ServiceConfig
  /** A PENDING order older than this is rejected (RESERVATION_TIMEOUT). */
  reservationTimeoutMs?: number
  /** How often the sweeper looks for them; 0 runs no timer (tests call sweepReservations()). */
  sweepIntervalMs?: number
  /**
   * The customer service's gRPC address, asked about a customer the replica has not seen yet
   * (just created, CustomerCreated not consumed). Without it such an order answers NOT_FOUND.
   */
  customerGrpcUrl?: string
  /** The clock every timestamp and the timeout are read from; tests move it instead of sleeping. */
  now?: () => Date
}

export async function startOrderService(opts: OrderServiceOptions) {
  const now = opts.now ?? (() => new Date())
  const runtime = await createServiceRuntime({
    name: 'order',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })

  const store = createOrderStore()
  const replica = createCustomerReplica()
  let directory: CustomerDirectory | null = null
  if (opts.customerGrpcUrl) {
    const customers = createGrpcClient(grpcService('customer'), opts.customerGrpcUrl, { tls: opts.config.grpcTls })
    runtime.onStop(async () => customers.close())
    directory = createCustomerDirectory(customers)
  } else {
    runtime.log.warn('no customer service address: an order for a customer not yet replicated answers NOT_FOUND')
  }
  const listener = await startStatusListener({ url: opts.config.databaseUrl, db: runtime.db, log: runtime.log })
  const orders = createOrders({
    db: runtime.db,
    store,
    replica,
    directory,
    outbox: runtime.outbox,
    wakeUp: listener,
    now,
    log: runtime.log,
    metrics: runtime.metrics,
  })
  runtime.metrics.registerGaugeSource('orders_by_status', 'Orders currently in each status', ['status'], async () =>
    (await store.countByStatus(runtime.db)).map((r) => ({ labels: { status: r.status }, value: r.n })),
  )

  runtime.grpc.addService(grpcService('order'), createOrderGrpc({ orders, listener }))

  await runtime.consume('order', CONSUMED_TOPICS, createHandlers({ orders, replica, fills: createFills({ store, now, log: runtime.log }) }))

  // A reservation that never answers must not hold an order PENDING for ever: past the timeout
  // it is REJECTED (RESERVATION_TIMEOUT) and OrderRejected tells the asset service to release it.
  // A cancel the engine has not answered as long (OrderCancelRequested lost) is sent again.
  // The sum is below the limit only when both kinds are drained, so the sweeper loops until then.
  const sweeper = createSweeper({
    expire: async (cutoff, limit) => (await orders.expireReservations(cutoff, limit)) + (await orders.resendCancels(cutoff, limit)),
    what: 'rejected orders whose reservation timed out, or asked again for unanswered cancels',
    now,
    timeoutMs: opts.reservationTimeoutMs ?? 30_000,
    intervalMs: opts.sweepIntervalMs ?? 1_000,
    log: runtime.log,
  })

  await runtime.listen()
  sweeper.start()
  // Stop callbacks run last-added first: waiting calls answer and the sweeper ends before the servers close.
  runtime.onStop(() => listener.close())
  runtime.onStop(() => sweeper.stop())

  return { runtime, stop: () => runtime.stop(), sweepReservations: () => sweeper.sweep() }
}

export type OrderService = Awaited<ReturnType<typeof startOrderService>>
