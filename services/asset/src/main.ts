import { runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startAssetService } from './app.js'

await runService('asset', () => startAssetService({ config: serviceConfigFromEnv(process.env) }))
