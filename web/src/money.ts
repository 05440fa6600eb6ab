// Money and quantities as the API gives them: integers in minor units (kuruş for TRY,
// whole units for every other asset). Every sum and product here is a BigInt; a float
// never touches an amount. Formatting is done by hand because Intl's Turkish currency
// format puts the sign first (₺1.234,56), while Turkish readers expect 1.234,56 ₺.

import { MESSAGES } from './i18n.ts'

export type Locale = 'en' | 'tr'
export const CASH = 'TRY'
/** The API's largest amount, size, price and size × price (contracts' MAX_AMOUNT: what an event's Avro long holds). */
export const MAX_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER) - 1n

const SEPARATORS: Record<Locale, { group: string; decimal: string }> = {
  en: { group: ',', decimal: '.' },
  tr: { group: '.', decimal: ',' },
}

function group(digits: string, sep: string): string {
  let out = ''
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += sep
    out += digits[i]
  }
  return out
}

/** Kuruş as lira: `₺1,234.56` in English, `1.234,56 ₺` in Turkish. */
export function formatMoney(minor: bigint | number, locale: Locale): string {
  const v = BigInt(minor)
  const neg = v < 0n
  const abs = neg ? -v : v
  const { group: g, decimal: d } = SEPARATORS[locale]
  const text = `${group((abs / 100n).toString(), g)}${d}${(abs % 100n).toString().padStart(2, '0')}`
  const sign = neg ? '−' : ''
  return locale === 'tr' ? `${sign}${text} ₺` : `${sign}₺${text}`
}

/** Whole units with the locale's grouping: `1,234` / `1.234`. */
export function formatUnits(units: bigint | number, locale: Locale): string {
  const v = BigInt(units)
  const neg = v < 0n
  return `${neg ? '−' : ''}${group((neg ? -v : v).toString(), SEPARATORS[locale].group)}`
}

/** A balance or amount of one asset: money for TRY, units otherwise. */
export function formatAmount(assetName: string, amount: bigint | number, locale: Locale): string {
  return assetName === CASH ? formatMoney(amount, locale) : `${formatUnits(amount, locale)} ${assetName}`
}

export type Parsed = { ok: true; value: bigint } | { ok: false; error: string }

/**
 * Lira as typed in the locale (`1.234,56` in Turkish, `1,234.56` in English; grouping
 * optional, at most two decimals) → kuruş. Refuses what the API refuses: zero, negative,
 * more than 2^53−1.
 */
export function parseMoney(text: string, locale: Locale): Parsed {
  const { group: g, decimal: d } = SEPARATORS[locale]
  const say = MESSAGES[locale].invalid
  const t = text.trim().replace(/\s|₺/g, '')
  if (t === '') return { ok: false, error: say.required }
  const [whole = '', frac = '', ...rest] = t.split(d)
  if (rest.length > 0) return { ok: false, error: say.oneDecimal(d) }
  // Grouping is optional, but where it is used it must be in threes (1.2.3 is a typo, not 123).
  if (whole.includes(g) && !whole.split(g).every((part, i) => (i === 0 ? /^\d{1,3}$/ : /^\d{3}$/).test(part))) {
    return { ok: false, error: say.groupThrees(g, d) }
  }
  const wholeDigits = whole.split(g).join('')
  if (!/^\d*$/.test(wholeDigits) || !/^\d*$/.test(frac) || (wholeDigits === '' && frac === '')) {
    return { ok: false, error: say.enterAmount }
  }
  if (frac.length > 2) return { ok: false, error: say.twoDecimals }
  const value = BigInt(wholeDigits || '0') * 100n + BigInt(frac.padEnd(2, '0') || '0')
  return positive(value, locale)
}

/** Whole units (sizes, non-cash amounts) → a positive integer the API accepts. */
export function parseUnits(text: string, locale: Locale): Parsed {
  const say = MESSAGES[locale].invalid
  const t = text.trim()
  if (t === '') return { ok: false, error: say.required }
  if (!/^\d+$/.test(t)) return { ok: false, error: say.wholeUnits }
  return positive(BigInt(t), locale)
}

function positive(value: bigint, locale: Locale): Parsed {
  const say = MESSAGES[locale].invalid
  if (value <= 0n) return { ok: false, error: say.positive }
  if (value > MAX_AMOUNT) return { ok: false, error: say.tooLarge }
  return { ok: true, value }
}

/** What an order reserves: size × price kuruş for a BUY, size units of the asset for a SELL. */
export function reservation(side: 'BUY' | 'SELL', size: bigint, price: bigint): { assetName: 'TRY' | null; amount: bigint } {
  return side === 'BUY' ? { assetName: CASH, amount: size * price } : { assetName: null, amount: size }
}
