import { ASSET_NAME, ASSET_NAME_PATTERN, CASH_ASSET, isUuid, MAX_AMOUNT } from '@brokerage/contracts'
import { fieldErrors } from '@brokerage/platform'
import { normalizeIban } from './iban.js'

// Request checking for the gRPC layer. Every checker records a field error and returns a
// placeholder instead of throwing, so one answer lists every bad field; done() throws.

/** A deposit or withdrawal that names no asset moves cash. */
export const DEFAULT_ASSET = CASH_ASSET
export const MAX_PAGE_SIZE = 100
export const DEFAULT_PAGE_SIZE = 20
const MAX_PAGE = 2 ** 31 - 1

// Pragmatic, not RFC 5322: one @, a dot in the domain, no spaces or control characters.
const EMAIL = /^[^\s@\p{Cc}]{1,64}@[^\s@\p{Cc}.]+(\.[^\s@\p{Cc}.]+)+$/u
const CONTROL = /\p{Cc}/u

const chars = (s: string) => [...s].length

export interface Page {
  page: number
  size: number
}

export function createChecker() {
  const problems = fieldErrors()
  const errors = problems.list
  const fail = problems.add

  function text(field: string, value: unknown, opts: { min: number; max: number; trim?: boolean }): string {
    if (typeof value !== 'string') return (fail(field, 'must be a string'), '')
    const v = opts.trim ? value.trim() : value
    if (chars(v) < opts.min) return (fail(field, opts.min === 1 ? 'must not be empty' : `must be at least ${opts.min} characters`), '')
    if (chars(v) > opts.max) return (fail(field, `must be at most ${opts.max} characters`), '')
    return v
  }

  return {
    errors,

    /** A display name: trimmed, 1–200 characters, no control characters. */
    name(field: string, value: unknown): string {
      const v = text(field, value, { min: 1, max: 200, trim: true })
      if (v && CONTROL.test(v)) return (fail(field, 'must not contain control characters'), '')
      return v
    },

    /** Trimmed and lower-cased: the same address is the same account whatever its case. */
    email(field: string, value: unknown): string {
      if (typeof value !== 'string') return (fail(field, 'must be a string'), '')
      const v = value.trim().toLowerCase()
      if (!v) return (fail(field, 'must not be empty'), '')
      if (v.length > 254 || !EMAIL.test(v)) return (fail(field, 'must be a valid email address'), '')
      return v
    },

    /** Kept exactly as sent (no trimming): spaces may be part of a password. */
    password(field: string, value: unknown): string {
      return text(field, value, { min: 8, max: 128 })
    },

    /** Any non-empty string up to max characters; "" when absent and optional. */
    token(field: string, value: unknown, opts: { max: number; optional?: boolean }): string {
      if (typeof value !== 'string') return (fail(field, 'must be a string'), '')
      if (!value) return opts.optional ? '' : (fail(field, 'must not be empty'), '')
      if (value.length > opts.max) return (fail(field, `must be at most ${opts.max} characters`), '')
      if (CONTROL.test(value)) return (fail(field, 'must not contain control characters'), '')
      return value
    },

    uuid(field: string, value: unknown): string {
      if (typeof value !== 'string' || !value) return (fail(field, 'must not be empty'), '')
      if (!isUuid(value)) return (fail(field, 'must be a UUID'), '')
      return value.toLowerCase()
    },

    /** proto3's "" means absent: null then. */
    optionalUuid(field: string, value: unknown): string | null {
      if (value === '' || value === undefined || value === null) return null
      if (typeof value !== 'string' || !isUuid(value)) return (fail(field, 'must be a UUID or empty'), null)
      return value.toLowerCase()
    },

    /**
     * An enum as proto-loader gives it (`enums: String`): a symbol name, or the bare number
     * when the sender used a value this proto does not know. `unset` is the zero symbol:
     * absent, so the default (or null) unless the field is required.
     */
    enumValue<T extends string>(
      field: string,
      value: unknown,
      allowed: readonly T[],
      unset: string,
      opts: { required?: boolean; default?: T } = {},
    ): T | null {
      const fallback = opts.default ?? null
      if (value === unset || value === undefined || value === null) {
        if (opts.required) fail(field, `must be one of ${allowed.join(', ')}`)
        return fallback
      }
      if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T
      fail(field, `must be one of ${allowed.join(', ')}`)
      return fallback
    },

    /** A secret compared, not stored: kept exactly as sent. */
    secret(field: string, value: unknown, max: number): string {
      return text(field, value, { min: 1, max })
    },

    /** Minor units: a positive integer that a JS number holds exactly and an event can carry. */
    amount(field: string, value: unknown): number {
      if (typeof value !== 'number' || !Number.isInteger(value)) return (fail(field, 'must be an integer'), 0)
      if (!Number.isSafeInteger(value) || value > MAX_AMOUNT) return (fail(field, `must be at most ${MAX_AMOUNT}`), 0)
      if (value <= 0) return (fail(field, 'must be greater than 0'), 0)
      return value
    },

    /** "" means TRY. */
    assetName(field: string, value: unknown): string {
      if (value === '' || value === undefined || value === null) return DEFAULT_ASSET
      if (typeof value !== 'string' || !ASSET_NAME.test(value)) return (fail(field, `must match ${ASSET_NAME_PATTERN}`), DEFAULT_ASSET)
      return value
    },

    /** The IBAN normalised (no spaces, upper-case), or "" after recording why it is not one. */
    iban(field: string, value: unknown): string {
      if (typeof value !== 'string') return (fail(field, 'must be a string'), '')
      const result = normalizeIban(value)
      if (!result.ok) return (fail(field, result.reason), '')
      return result.iban
    },

    /** proto3 zero values: an absent page is page 0 of the default size. */
    page(field: string, value: unknown): Page {
      if (value === undefined || value === null) return { page: 0, size: DEFAULT_PAGE_SIZE }
      if (typeof value !== 'object') return (fail(field, 'must be an object'), { page: 0, size: DEFAULT_PAGE_SIZE })
      const { page, size } = value as { page?: unknown; size?: unknown }
      let p = 0
      let s = DEFAULT_PAGE_SIZE
      if (page !== undefined && page !== null) {
        if (typeof page !== 'number' || !Number.isInteger(page) || page < 0 || page > MAX_PAGE)
          fail(`${field}.page`, 'must be an integer from 0')
        else p = page
      }
      if (size !== undefined && size !== null && size !== 0) {
        if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE)
          fail(`${field}.size`, `must be an integer from 1 to ${MAX_PAGE_SIZE} (0 means ${DEFAULT_PAGE_SIZE})`)
        else s = size
      }
      return { page: p, size: s }
    },

    fail,

    /** Throws VALIDATION_FAILED listing every bad field, if any. */
    done(): void {
      problems.done()
    },
  }
}

export type Checker = ReturnType<typeof createChecker>
