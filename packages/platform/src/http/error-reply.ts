import { AppError, httpStatusOf } from '../errors.js'
import type { ErrorCode, FieldError } from '../errors.js'

/** The one error body of the HTTP API (SPEC §8). */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown }
  requestId: string
}

export interface ErrorReply {
  status: number
  error: ErrorBody['error']
  retryAfterSeconds?: number
  /** Not an expected refusal: the real error must be logged, the client sees a generic message. */
  unexpected: boolean
}

/** JSON schema of ErrorBody, for routes' response schemas and the OpenAPI document. */
export const errorBodySchema = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
    requestId: { type: 'string' },
  },
} as const

interface FastifyLikeError {
  code?: unknown
  statusCode?: unknown
  message: string
  validation?: ReadonlyArray<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }>
  validationContext?: string
}

/** Maps anything a handler or fastify throws to a status and the public error shape. */
export function toErrorReply(err: unknown): ErrorReply {
  if (err instanceof AppError) {
    const status = httpStatusOf(err.code)
    return {
      status,
      error: {
        code: err.code,
        // An INTERNAL AppError is still ours to hide: its message is for the log.
        message: err.code === 'INTERNAL' ? INTERNAL_MESSAGE : err.message,
        ...(err.details === undefined ? {} : { details: err.details }),
      },
      ...(err.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: err.retryAfterSeconds }),
      unexpected: status >= 500 && err.code !== 'UNAVAILABLE',
    }
  }
  const e = err as FastifyLikeError
  if (err instanceof Error && Array.isArray(e.validation)) {
    return expected('VALIDATION_FAILED', 'Request validation failed', schemaFieldErrors(e))
  }
  // Fastify's own refusals (body parsing, content type): client errors, safe to describe.
  if (err instanceof Error && typeof e.code === 'string' && e.code.startsWith('FST_') && typeof e.statusCode === 'number') {
    if (e.statusCode === 413) return expected('PAYLOAD_TOO_LARGE', 'Request body is too large')
    if (e.statusCode === 415) return expected('UNSUPPORTED_MEDIA_TYPE', e.message)
    if (e.statusCode === 404) return expected('NOT_FOUND', e.message)
    if (e.statusCode >= 400 && e.statusCode < 500) return expected('VALIDATION_FAILED', e.message)
  }
  return { status: 500, error: { code: 'INTERNAL', message: INTERNAL_MESSAGE }, unexpected: true }
}

const INTERNAL_MESSAGE = 'Internal server error'

function expected(code: ErrorCode, message: string, details?: unknown): ErrorReply {
  return { status: httpStatusOf(code), error: { code, message, ...(details === undefined ? {} : { details }) }, unexpected: false }
}

function schemaFieldErrors(e: FastifyLikeError): FieldError[] {
  return (e.validation ?? []).map((v) => {
    const path = v.instancePath.split('/').filter(Boolean)
    // A missing property is reported on its parent; name the property itself.
    if (v.keyword === 'required' && typeof v.params['missingProperty'] === 'string') path.push(v.params['missingProperty'])
    if (v.keyword === 'additionalProperties' && typeof v.params['additionalProperty'] === 'string') {
      path.push(v.params['additionalProperty'])
    }
    return { field: [e.validationContext ?? 'body', ...path].join('.'), message: v.message ?? v.keyword }
  })
}
