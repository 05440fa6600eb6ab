import { readConfig, type Env } from '@brokerage/platform'

// The order service's own settings, beside the variables every service reads.
export const ORDER_ENV = {
  // How long an order may wait PENDING for its reservation before it is rejected (SPEC §4).
  RESERVATION_TIMEOUT_MS: { type: 'int', default: 30_000, min: 1 },
  RESERVATION_SWEEP_INTERVAL_MS: { type: 'int', default: 1_000, min: 0 },
  // The customer service (host:port), asked about a customer the replica has not seen yet.
  CUSTOMER_GRPC_URL: { type: 'string' },
} as const

export function orderSettingsFromEnv(env: Env) {
  const c = readConfig(env, ORDER_ENV)
  return {
    reservationTimeoutMs: c.RESERVATION_TIMEOUT_MS,
    sweepIntervalMs: c.RESERVATION_SWEEP_INTERVAL_MS,
    customerGrpcUrl: c.CUSTOMER_GRPC_URL,
  }
}
