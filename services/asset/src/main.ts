import { createLogger, runMain, serviceConfigFromEnv } from '@brokerage/platform'
import { startAssetService } from './app.js'

const log = createLogger({ service: 'asset' })
await runMain(() => startAssetService({ config: serviceConfigFromEnv(process.env) }), { log })
