import { fileURLToPath } from 'node:url'
import { TOPICS } from '@brokerage/contracts'
import { createServiceRuntime, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createAssetGrpc } from './grpc.js'
import { createHandlers } from './handlers.js'
import { createLedger } from './ledger.js'
import { createMovements } from './movements.js'
import { createOrderReservations } from './reservations.js'
import { createSettlementHandlers, SETTLEMENT_GROUP } from './settlement.js'

export const CONSUMER_GROUP = 'asset-service'

/** The asset service: balances, reservations and their journal, changed only by events. */
export async function startAssetService(opts: { config: ServiceConfig }) {
  const runtime = await createServiceRuntime({
    name: 'asset',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })
  try {
    const ledger = createLedger()
    const orders = createOrderReservations()
    const movements = createMovements()

    runtime.grpc.addService(grpcService('asset'), createAssetGrpc({ db: runtime.db, ledger }))

    const handlers = createHandlers({ ledger, orders, movements, outbox: runtime.outbox, log: runtime.log })
    await runtime.consume(CONSUMER_GROUP, [TOPICS.customer, TOPICS.order], handlers)
    // Trades and their compensation in a group of their own: settlement never waits behind
    // reservations, and each trade still locks the reservation rows it draws from.
    const settlement = createSettlementHandlers({ ledger, orders, outbox: runtime.outbox, log: runtime.log })
    await runtime.consume(SETTLEMENT_GROUP, [TOPICS.trade, TOPICS.processor], settlement)

    await runtime.listen()
  } catch (err) {
    await runtime.stop()
    throw err
  }
  return { runtime, stop: () => runtime.stop() }
}
