import { test } from 'node:test'
import assert from 'node:assert/strict'
import { AppError, ERROR_CODES, fieldErrors, GrpcStatus, grpcStatusOf, httpStatusOf, isAppError, isErrorCode } from './errors.js'

test('when each code is mapped, then it gets the HTTP status the API promises', () => {
  const expected: Record<string, number> = {
    VALIDATION_FAILED: 400,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    ALREADY_EXISTS: 409,
    IDEMPOTENCY_KEY_REUSED: 422,
    IDEMPOTENCY_IN_FLIGHT: 409,
    INSUFFICIENT_FUNDS: 422,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    RATE_LIMITED: 429,
    UNAVAILABLE: 503,
    TIMEOUT: 504,
    INTERNAL: 500,
  }
  assert.deepEqual(Object.fromEntries(ERROR_CODES.map((c) => [c, httpStatusOf(c)])), expected)
})

test('when a code is mapped for gRPC, then it gets the matching gRPC status', () => {
  assert.equal(grpcStatusOf('NOT_FOUND'), GrpcStatus.NOT_FOUND)
  assert.equal(grpcStatusOf('VALIDATION_FAILED'), GrpcStatus.INVALID_ARGUMENT)
  assert.equal(grpcStatusOf('UNAUTHENTICATED'), 16)
  assert.equal(grpcStatusOf('RATE_LIMITED'), GrpcStatus.RESOURCE_EXHAUSTED)
  assert.equal(grpcStatusOf('UNAVAILABLE'), 14)
  for (const code of ERROR_CODES) assert.ok(grpcStatusOf(code) > 0, `${code} must not map to OK`)
})

test('when an AppError is built, then it carries code, cause, details and retry hint', () => {
  const cause = new Error('pg: deadlock')
  const err = new AppError('RATE_LIMITED', 'slow down', { cause, details: { limit: 10 }, retryAfterSeconds: 3 })
  assert.ok(err instanceof Error)
  assert.ok(isAppError(err))
  assert.equal(err.name, 'AppError')
  assert.equal(err.code, 'RATE_LIMITED')
  assert.equal(err.message, 'slow down')
  assert.equal(err.cause, cause)
  assert.deepEqual(err.details, { limit: 10 })
  assert.equal(err.retryAfterSeconds, 3)
  assert.equal(err.httpStatus, 429)
  assert.equal(err.grpcStatus, GrpcStatus.RESOURCE_EXHAUSTED)
  assert.ok(!('cause' in new AppError('NOT_FOUND', 'x')), 'no cause property when none was given')
})

test('when a value read off the wire is checked, then only known codes pass', () => {
  assert.ok(isErrorCode('CONFLICT'))
  assert.ok(!isErrorCode('conflict'))
  assert.ok(!isErrorCode(409))
  assert.ok(!isAppError(new Error('plain')))
})

test('when several fields of a request are bad, then done() throws one VALIDATION_FAILED naming each; with none it passes', () => {
  const clean = fieldErrors()
  clean.done()
  const problems = fieldErrors()
  problems.add('size', 'must be a positive integer')
  problems.add('asset_name', 'is required')
  assert.throws(
    () => problems.done(),
    (err: unknown) =>
      isAppError(err) &&
      err.code === 'VALIDATION_FAILED' &&
      JSON.stringify(err.details) ===
        JSON.stringify([
          { field: 'size', message: 'must be a positive integer' },
          { field: 'asset_name', message: 'is required' },
        ]),
  )
})
