import { runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startOrderProcessorService } from './app.js'
import { processorSettingsFromEnv } from './config.js'

await runService('order-processor', () =>
  startOrderProcessorService({ config: serviceConfigFromEnv(process.env), ...processorSettingsFromEnv(process.env) }),
)
