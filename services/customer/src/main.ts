import { readConfig, runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startCustomerService } from './app.js'
import { DEFAULT_CONCURRENCY, DEFAULT_COST } from './passwords.js'

await runService('customer', async () => {
  // log2 of scrypt's N for new password hashes; stored hashes keep their own parameters.
  // Hashes at once per instance: each holds 2^cost × 1 KiB (64 MiB at 16). 1 bounds memory, 2 keeps two cores busy.
  const { PASSWORD_HASH_COST, PASSWORD_HASH_CONCURRENCY } = readConfig(process.env, {
    PASSWORD_HASH_COST: { type: 'int', min: 10, max: 20, default: DEFAULT_COST },
    PASSWORD_HASH_CONCURRENCY: { type: 'int', min: 1, max: 64, default: DEFAULT_CONCURRENCY },
  })
  return startCustomerService({
    config: serviceConfigFromEnv(process.env),
    passwordCost: PASSWORD_HASH_COST,
    passwordConcurrency: PASSWORD_HASH_CONCURRENCY,
  })
})
