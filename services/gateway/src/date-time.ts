import { isInstantInRange } from '@brokerage/contracts'
import { badField } from './request-context.js'

// What the schemas' `date-time` format (ajv-formats, RFC 3339) accepts: a separator of T, t
// or white space, second 60 in the last minute of a UTC day (a leap second), a z in either
// case, offsets with or without a colon or minutes. JavaScript's Date parses none of the
// leap seconds and not all of the rest, so instants are computed from the parts here.
const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)[Tt\s](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d)(?::?(\d\d))?)$/

/**
 * The instant a validated date-time names, as the ISO string services take ("" when absent,
 * the services' proto3 "no filter"). A leap second
 * becomes the first instant of the next day, as PostgreSQL reads it: neither JavaScript nor
 * PostgreSQL timestamps have a 61st second.
 */
export function isoInstant(value: string | undefined, field: string): string {
  if (value === undefined) return ''
  const m = RFC3339.exec(value)
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', sign, oh = '0', om = '0'] = m
    const at = new Date(0)
    // setUTCFullYear, not Date.UTC: that maps years 0–99 to 1900–1999.
    at.setUTCFullYear(Number(y), Number(mo) - 1, Number(d))
    at.setUTCHours(Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)))
    const offsetMinutes = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om))
    const ms = at.getTime() - offsetMinutes * 60_000
    if (isInstantInRange(ms)) return new Date(ms).toISOString()
    if (Number.isFinite(ms)) throw badField(field, 'must be an instant from year 0001 to 9999 (UTC)')
  }
  throw badField(field, 'must be an RFC 3339 date-time')
}
