/**
 * The whole platform on one page: every service, the database it owns, its ports, and
 * the order `npm start` brings them up in (the services that others call come first;
 * the gateway, which calls them all, comes last). Each port can be moved by setting
 * `<NAME>_HTTP_PORT` / `<NAME>_GRPC_PORT`; the gateway's is `PORT` (SPEC §6).
 */
export interface ServiceSpec {
  name: string
  /** The database the service owns; none reads another's. */
  database: string
  httpPort: number
  grpcPort?: number
  /** A port of its own for /metrics and the detailed readiness answer (the gateway: off its public port). */
  opsPort?: number
  /** Services whose gRPC API this one calls. */
  calls: string[]
  /** Environment for the process itself rather than the code (C library tunables); set where not set already. */
  processEnv?: Record<string, string>
}

/**
 * glibc raises its mmap threshold after freeing a large block, up to 32 MiB, so the 16 MiB buffer
 * of each password hash then comes from a thread's heap arena and stays resident: after a burst of
 * sign-ups the customer service kept ≈ 60 MB it no longer used (147 MB against 86 idle). A fixed
 * threshold keeps such buffers mapped on their own and returned when the hash ends (118 MB at the
 * burst's height, back to idle after). deploy/compose.yaml and the customer manifest set the same.
 */
export const HASHING_PROCESS_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' }

export const BUS_DATABASE = 'brokerage_bus'

export const TOPOLOGY: ServiceSpec[] = [
  { name: 'customer', database: 'brokerage_customers', httpPort: 8081, grpcPort: 9081, calls: [], processEnv: HASHING_PROCESS_ENV },
  { name: 'asset', database: 'brokerage_assets', httpPort: 8082, grpcPort: 9082, calls: [] },
  { name: 'order', database: 'brokerage_orders', httpPort: 8083, grpcPort: 9083, calls: ['customer'] },
  { name: 'order-processor', database: 'brokerage_processor', httpPort: 8084, grpcPort: 9084, calls: [] },
  { name: 'notification', database: 'brokerage_notifications', httpPort: 8085, grpcPort: 9085, calls: [] },
  { name: 'audit', database: 'brokerage_audit', httpPort: 8086, grpcPort: 9086, calls: [] },
  {
    name: 'gateway',
    database: 'brokerage_gateway',
    httpPort: 8080,
    opsPort: 9080,
    calls: ['customer', 'asset', 'order', 'order-processor', 'notification', 'audit'],
  },
]

export const envName = (service: string) => service.toUpperCase().replaceAll('-', '_')
