import { fileURLToPath } from 'node:url'
import { createServiceRuntime, createSweeper, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createProcessorGrpc } from './grpc.js'
import { createEngineHandlers, ENGINE_TOPICS } from './handlers.js'
import { createSettlementSaga, SAGA_TOPICS } from './saga.js'
import { createBookStore, createMarketStore } from './store.js'

export interface ProcessorServiceOptions {
  config: ServiceConfig
  now?: () => Date
  /** A trade not settled within this fails (SETTLEMENT_TIMEOUT). */
  settlementTimeoutMs?: number
  /** How often the sweeper looks for them; 0 runs no timer (tests call sweepSettlements()). */
  settlementSweepIntervalMs?: number
}

export async function startOrderProcessorService(opts: ProcessorServiceOptions) {
  const now = opts.now ?? (() => new Date())
  const runtime = await createServiceRuntime({
    name: 'order-processor',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })

  const books = createBookStore({ afterCommit: runtime.db.afterCommit })
  const markets = createMarketStore()
  runtime.grpc.addService(grpcService('processor'), createProcessorGrpc({ db: runtime.db, books, markets, outbox: runtime.outbox, now }))

  const saga = createSettlementSaga({ db: runtime.db, outbox: runtime.outbox, now, log: runtime.log, metrics: runtime.metrics })
  await runtime.consume('order-processor-engine', ENGINE_TOPICS, createEngineHandlers({ books, saga, outbox: runtime.outbox, now }))
  await runtime.consume('order-processor-saga', SAGA_TOPICS, saga.handlers)

  // A settlement step that never answers must not leave a trade pending for ever: past the
  // timeout its legs fail (SETTLEMENT_TIMEOUT) and OrderFailed releases what is still held.
  const sweeper = createSweeper({
    expire: (cutoff, limit) => saga.expire(cutoff, limit),
    what: 'failed trades whose settlement timed out',
    now,
    timeoutMs: opts.settlementTimeoutMs ?? 30_000,
    intervalMs: opts.settlementSweepIntervalMs ?? 1_000,
    log: runtime.log,
  })

  await runtime.listen()
  sweeper.start()
  runtime.onStop(() => sweeper.stop())
  return { runtime, stop: () => runtime.stop(), sweepSettlements: () => sweeper.sweep() }
}

export type OrderProcessorService = Awaited<ReturnType<typeof startOrderProcessorService>>
