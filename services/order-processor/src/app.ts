import { fileURLToPath } from 'node:url'
import { createEventCodec, createServiceRuntime, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createProcessorGrpc } from './grpc.js'
import { createEngineHandlers, ENGINE_TOPICS } from './handlers.js'
import { createBookStore, createMarketStore } from './store.js'

export interface ProcessorServiceOptions {
  config: ServiceConfig
  now?: () => Date
}

export async function startOrderProcessorService(opts: ProcessorServiceOptions) {
  const now = opts.now ?? (() => new Date())
  const runtime = await createServiceRuntime({
    name: 'order-processor',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
    codec: createEventCodec(),
  })

  const books = createBookStore()
  const markets = createMarketStore()
  runtime.grpc.addService(grpcService('processor'), createProcessorGrpc({ db: runtime.db, books, markets, outbox: runtime.outbox, now }))

  await runtime.consume('order-processor-engine', ENGINE_TOPICS, createEngineHandlers({ books, outbox: runtime.outbox, now }))

  await runtime.listen()
  return { runtime, stop: () => runtime.stop() }
}

export type OrderProcessorService = Awaited<ReturnType<typeof startOrderProcessorService>>
