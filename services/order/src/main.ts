import { createLogger, runMain, serviceConfigFromEnv } from '@brokerage/platform'
import { startOrderService } from './app.js'
import { orderSettingsFromEnv } from './config.js'

const log = createLogger({ service: 'order' })
await runMain(() => startOrderService({ config: serviceConfigFromEnv(process.env), ...orderSettingsFromEnv(process.env) }), { log })
