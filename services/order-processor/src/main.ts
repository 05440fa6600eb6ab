import { createLogger, runMain, serviceConfigFromEnv } from '@brokerage/platform'
import { startOrderProcessorService } from './app.js'

const log = createLogger({ service: 'order-processor' })
await runMain(() => startOrderProcessorService({ config: serviceConfigFromEnv(process.env) }), { log })
