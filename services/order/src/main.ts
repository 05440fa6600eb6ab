import { runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startOrderService } from './app.js'
import { orderSettingsFromEnv } from './config.js'

await runService('order', () => startOrderService({ config: serviceConfigFromEnv(process.env), ...orderSettingsFromEnv(process.env) }))
