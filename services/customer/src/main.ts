import { readConfig, runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startCustomerService } from './app.js'
import { DEFAULT_COST } from './passwords.js'

await runService('customer', async () => {
  // log2 of scrypt's N for new password hashes; stored hashes keep their own parameters.
  const { PASSWORD_HASH_COST } = readConfig(process.env, { PASSWORD_HASH_COST: { type: 'int', min: 10, max: 20, default: DEFAULT_COST } })
  return startCustomerService({ config: serviceConfigFromEnv(process.env), passwordCost: PASSWORD_HASH_COST })
})
