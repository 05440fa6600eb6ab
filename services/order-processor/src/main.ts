import { runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startOrderProcessorService } from './app.js'

await runService('order-processor', () => startOrderProcessorService({ config: serviceConfigFromEnv(process.env) }))
