import { fileURLToPath } from 'node:url'
import { TOPICS } from '@brokerage/contracts'
import { createServiceRuntime, grpcService, type ServiceConfig } from '@brokerage/platform'
import { createCustomers } from './customers.js'
import { createCustomerGrpc, createIdentityGrpc } from './grpc.js'
import { createMovementHandlers } from './handlers.js'
import { createIdempotency } from './idempotency.js'
import { createIdentity } from './identity.js'
import { createMovements } from './movements.js'
import { createPasswords } from './passwords.js'
import { createPayouts, type Payouts } from './payouts.js'
import { createStore } from './store.js'

/** The consumer group reading the asset service's answers. */
export const CONSUMER_GROUP = 'customer'

export interface CustomerServiceOptions {
  config: ServiceConfig
  /** Replaces the instant payout adapter (a bank integration). */
  payouts?: Payouts
  /** log2 of scrypt's N for new password hashes (default 16); stored hashes keep their own. */
  passwordCost?: number
  /** Password hashes run at once (default 2: each holds 64 MiB at the default cost). */
  passwordConcurrency?: number
  now?: () => Date
}

export async function startCustomerService(opts: CustomerServiceOptions) {
  const runtime = await createServiceRuntime({
    name: 'customer',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })
  try {
    const { db, outbox, log } = runtime
    const now = opts.now ?? (() => new Date())
    const store = createStore()
    const passwords = createPasswords({ cost: opts.passwordCost, concurrency: opts.passwordConcurrency })
    const idempotency = createIdempotency({ db, passwords, now })
    const customers = createCustomers({ db, store, outbox, passwords, idempotency, now })
    const movements = createMovements({ db, store, outbox, idempotency, now })
    const identity = createIdentity({ db, store, passwords, now })
    const payouts = opts.payouts ?? createPayouts({ now })

    runtime.grpc.addService(grpcService('customer'), createCustomerGrpc({ customers, movements }))
    runtime.grpc.addService(grpcService('identity'), createIdentityGrpc({ identity }))
    await runtime.consume(CONSUMER_GROUP, [TOPICS.assetMovements], createMovementHandlers({ store, outbox, payouts, log, now }))
    await runtime.listen()
    return { runtime, stop: () => runtime.stop() }
  } catch (err) {
    await runtime.stop().catch(() => {})
    throw err
  }
}

export type CustomerService = Awaited<ReturnType<typeof startCustomerService>>
