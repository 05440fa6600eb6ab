import type { GrpcMethod, GrpcRequest, GrpcResponse, GrpcServiceName } from '@brokerage/contracts/grpc'
import { AppError, createGrpcClient, grpcService, type GrpcTlsSetting, type Metrics, type ServiceClient } from '@brokerage/platform'
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel'

export type ServiceName = GrpcServiceName

/** host:port of each service's gRPC API; a missing one makes its routes answer 503. */
export interface ServiceAddresses {
  customer?: string
  asset?: string
  order?: string
  processor?: string
  notification?: string
  audit?: string
}

/** Which address serves each service: identity is served by the process that keeps the credentials, the customer service. */
const HOST: Record<ServiceName, keyof ServiceAddresses> = {
  customer: 'customer',
  identity: 'customer',
  asset: 'asset',
  order: 'order',
  processor: 'processor',
  notification: 'notification',
  audit: 'audit',
}

/** How errors name each service ("order-processor is unavailable"); also the name its certificate carries. */
const LABEL: Partial<Record<ServiceName, string>> = { identity: 'customer', processor: 'order-processor' }
const labelOf = (name: ServiceName) => LABEL[name] ?? name

export interface ResilienceOptions {
  /** Deadline of a Get/List call. */
  readDeadlineMs?: number
  /** Deadline of every other call (they write, or hash a password). */
  writeDeadlineMs?: number
  /** Consecutive failures (unavailable or past the deadline) that open a service's breaker. */
  breakerFailures?: number
  /** How long an open breaker answers at once before it lets one call through to probe. */
  breakerHalfOpenMs?: number
}

export const DEFAULT_RESILIENCE: Required<ResilienceOptions> = {
  readDeadlineMs: 2_000,
  writeDeadlineMs: 5_000,
  breakerFailures: 5,
  breakerHalfOpenMs: 5_000,
}

export interface ClientsOptions extends ResilienceOptions {
  /** Mutual TLS to the services ('off': plaintext, only when asked for). */
  tls: GrpcTlsSetting | undefined
  metrics?: Metrics
}

const isRead = (method: string) => /^(Get|List)/.test(method)

/** What a breaker counts: the service not answering, never its business answers (NOT_FOUND, CONFLICT, …). */
const downstreamFailure = (err: Error) => err instanceof AppError && (err.code === 'UNAVAILABLE' || err.code === 'TIMEOUT')

const STATE_NAMES: Record<CircuitState, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
}

interface Breaker {
  policy: CircuitBreakerPolicy
  openedAt: number
}

/**
 * One lazily created client per service, typed by the protos: a wrong method name or request
 * field does not compile. `call` rethrows the service's own AppError, so its code
 * (NOT_FOUND, CONFLICT, …) reaches the HTTP client unchanged.
 *
 * Every call has a deadline (reads short, writes longer) and goes through its service
 * process's circuit breaker: after `breakerFailures` calls in a row that found the service
 * unavailable or past their deadline, the breaker opens and calls answer 503 at once, with
 * Retry-After saying when it will probe again; one call then goes through, and its success closes it.
 */
export function createClients(addresses: ServiceAddresses, opts: ClientsOptions) {
  const o = { ...DEFAULT_RESILIENCE, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) }
  const clients = new Map<ServiceName, ServiceClient<ServiceName>>()
  const breakers = new Map<keyof ServiceAddresses, Breaker>()
  const opens = opts.metrics?.counter('gateway_breaker_opens_total', 'Times a service breaker opened', ['service'])
  const shortCircuited = opts.metrics?.counter(
    'gateway_calls_short_circuited_total',
    'Calls answered 503 at once by an open breaker, without reaching the service',
    ['service'],
  )
  opts.metrics?.registerGaugeSource(
    'gateway_breaker_state',
    'Service breaker state: 0 closed, 1 open, 2 half-open',
    ['service'],
    async () =>
      [...breakers].map(([host, b]) => ({ labels: { service: labelOf(host) }, value: Math.min(b.policy.state, CircuitState.HalfOpen) })),
  )

  function client<S extends ServiceName>(name: S): ServiceClient<S> {
    const existing = clients.get(name)
    if (existing) return existing as unknown as ServiceClient<S>
    const label = labelOf(name)
    const address = addresses[HOST[name]]
    if (!address) throw new AppError('UNAVAILABLE', `The ${label} service is not configured`)
    const created = createGrpcClient(grpcService(name), address, { tls: opts.tls, label })
    clients.set(name, created as unknown as ServiceClient<ServiceName>)
    return created
  }

  function breakerOf(host: keyof ServiceAddresses): Breaker {
    let b = breakers.get(host)
    if (b) return b
    const policy = circuitBreaker(handleWhen(downstreamFailure), {
      halfOpenAfter: o.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(o.breakerFailures),
    })
    const breaker: Breaker = { policy, openedAt: 0 }
    policy.onBreak(() => {
      breaker.openedAt = Date.now()
      opens?.inc({ service: labelOf(host) })
    })
    breakers.set(host, (b = breaker))
    return b
  }

  /** Seconds until the open breaker lets a probe through (at least 1). */
  const retryAfter = (b: Breaker) => Math.max(1, Math.ceil((b.openedAt + o.breakerHalfOpenMs - Date.now()) / 1000))

  return {
    call<S extends ServiceName, M extends GrpcMethod<S>>(
      service: S,
      method: M,
      request: GrpcRequest<S, M>,
      callOpts: {
        /**
         * How long the service is asked to hold its answer on purpose (CreateOrder's wait_ms: a
         * wait for the saga, not work): added to the method's deadline, which stays the
         * policy's, so a service that does not answer is still given up on at that deadline plus the wait.
         */
        waitMs?: number
      } = {},
    ): Promise<GrpcResponse<S, M>> {
      const label = labelOf(service)
      const deadlineMs = (isRead(method) ? o.readDeadlineMs : o.writeDeadlineMs) + (callOpts.waitMs ?? 0)
      const b = breakerOf(HOST[service])
      return b.policy
        .execute(() => client(service).call(method, request, { deadlineMs }))
        .catch((err: unknown) => {
          if (err instanceof BrokenCircuitError) {
            shortCircuited?.inc({ service: label })
            throw new AppError('UNAVAILABLE', `${label} is unavailable; calls to it are paused`, {
              retryAfterSeconds: retryAfter(b),
              details: { service: label, breaker: 'open' },
            })
          }
          // Past the deadline the service is, for the client, unavailable: 503 and a time to retry, not a 504.
          if (err instanceof AppError && err.code === 'TIMEOUT')
            throw new AppError('UNAVAILABLE', `${label} did not answer within ${deadlineMs} ms`, {
              cause: err,
              retryAfterSeconds: 1,
              details: { service: label, deadlineMs },
            })
          throw err
        })
    },
    /** Each service's breaker, for /health/ready: closed, open or half-open. */
    breakerStates(): Record<string, string> {
      return Object.fromEntries([...breakers].map(([host, b]) => [labelOf(host), STATE_NAMES[b.policy.state]]))
    },
    close() {
      for (const c of clients.values()) c.close()
      clients.clear()
    },
  }
}

export type Clients = ReturnType<typeof createClients>
