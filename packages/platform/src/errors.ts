// The one error type of the platform. Expected business outcomes (a rejected order)
// are events and return values; AppError is for requests that cannot be served, and
// its code is the stable, documented contract clients program against.

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  // Role-based refusals only (a customer calling an admin route). Another customer's
  // data answers NOT_FOUND, never FORBIDDEN, so ids cannot be probed (SPEC §1).
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'ALREADY_EXISTS',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_IN_FLIGHT',
  'INSUFFICIENT_FUNDS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

/** Numeric gRPC status codes (grpc/status.h); spelled out so this file needs no gRPC import. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const

export type GrpcStatusCode = (typeof GrpcStatus)[keyof typeof GrpcStatus]

// The single place a code becomes a transport status. A Record over ErrorCode makes
// the compiler refuse a new code that has no mapping.
const STATUS: Record<ErrorCode, { http: number; grpc: GrpcStatusCode }> = {
  VALIDATION_FAILED: { http: 400, grpc: GrpcStatus.INVALID_ARGUMENT },
  UNAUTHENTICATED: { http: 401, grpc: GrpcStatus.UNAUTHENTICATED },
  FORBIDDEN: { http: 403, grpc: GrpcStatus.PERMISSION_DENIED },
  NOT_FOUND: { http: 404, grpc: GrpcStatus.NOT_FOUND },
  // The resource's current state forbids the action (cancel a filled order).
  CONFLICT: { http: 409, grpc: GrpcStatus.FAILED_PRECONDITION },
  ALREADY_EXISTS: { http: 409, grpc: GrpcStatus.ALREADY_EXISTS },
  // Same key, different body: retrying cannot help, so not 409 (SPEC §8 says 422).
  IDEMPOTENCY_KEY_REUSED: { http: 422, grpc: GrpcStatus.INVALID_ARGUMENT },
  // The first request with this key is still running; retrying later can help.
  IDEMPOTENCY_IN_FLIGHT: { http: 409, grpc: GrpcStatus.ABORTED },
  // Well-formed but not possible with the account's balance: 422, not a state conflict.
  INSUFFICIENT_FUNDS: { http: 422, grpc: GrpcStatus.FAILED_PRECONDITION },
  PAYLOAD_TOO_LARGE: { http: 413, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, grpc: GrpcStatus.INVALID_ARGUMENT },
  RATE_LIMITED: { http: 429, grpc: GrpcStatus.RESOURCE_EXHAUSTED },
  UNAVAILABLE: { http: 503, grpc: GrpcStatus.UNAVAILABLE },
  TIMEOUT: { http: 504, grpc: GrpcStatus.DEADLINE_EXCEEDED },
  INTERNAL: { http: 500, grpc: GrpcStatus.INTERNAL },
}

export interface AppErrorOptions {
  cause?: unknown
  /** Safe to show the client (field errors, the conflicting state); never secrets. */
  details?: unknown
  /** Sent as `Retry-After` (RATE_LIMITED, UNAVAILABLE, IDEMPOTENCY_IN_FLIGHT). */
  retryAfterSeconds?: number
}

export class AppError extends Error {
  override readonly name = 'AppError'
  readonly code: ErrorCode
  readonly details: unknown
  readonly retryAfterSeconds: number | undefined

  constructor(code: ErrorCode, message: string, opts: AppErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.code = code
    this.details = opts.details
    this.retryAfterSeconds = opts.retryAfterSeconds
  }

  get httpStatus(): number {
    return httpStatusOf(this.code)
  }

  get grpcStatus(): GrpcStatusCode {
    return grpcStatusOf(this.code)
  }
}

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code].http
}

export function grpcStatusOf(code: ErrorCode): GrpcStatusCode {
  return STATUS[code].grpc
}

/** For codes read back off the wire (gRPC metadata, a downstream JSON body). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError
}

/** One bad field of a request: where it is (`body.size`, `asset_name`, `customer_ids[3]`) and what is wrong. */
export interface FieldError {
  field: string
  message: string
}

/**
 * Collects every bad field of a request instead of stopping at the first, so one answer
 * names them all; `done()` throws VALIDATION_FAILED with the list when there is any.
 */
export function fieldErrors(message = 'Request validation failed') {
  const list: FieldError[] = []
  return {
    list,
    add(field: string, why: string): void {
      list.push({ field, message: why })
    },
    done(): void {
      if (list.length) throw new AppError('VALIDATION_FAILED', message, { details: [...list] })
    },
  }
}

export type FieldErrors = ReturnType<typeof fieldErrors>
