import { runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startAuditService } from './app.js'

await runService('audit', () => startAuditService({ config: serviceConfigFromEnv(process.env) }))
