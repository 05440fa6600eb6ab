import { readConfig, type Env } from '@brokerage/platform'

// The order-processor's own settings, beside the variables every service reads.
export const PROCESSOR_ENV = {
  // How long a trade may wait for the asset service to settle it before it fails (SPEC §4).
  SETTLEMENT_TIMEOUT_MS: { type: 'int', default: 30_000, min: 1 },
  SETTLEMENT_SWEEP_INTERVAL_MS: { type: 'int', default: 1_000, min: 0 },
} as const

export function processorSettingsFromEnv(env: Env) {
  const c = readConfig(env, PROCESSOR_ENV)
  return { settlementTimeoutMs: c.SETTLEMENT_TIMEOUT_MS, settlementSweepIntervalMs: c.SETTLEMENT_SWEEP_INTERVAL_MS }
}
