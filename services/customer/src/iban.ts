// ISO 13616 IBAN check: a registered country code, that country's length, two check
// digits, and the whole number mod 97 = 1 (ISO 7064 MOD 97-10).

// IBAN lengths per country, from the SWIFT IBAN registry. A country missing here is
// refused: its length cannot be checked, and a typo in the country code is the likelier cause.
// prettier-ignore
const LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HN: 28, HR: 21, HU: 28,
  IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20,
  LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28,
  NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24,
  SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26,
  UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
}

export type IbanResult = { ok: true; iban: string } | { ok: false; reason: string }

/** Spaces may group the digits as people write them; the stored form has none and is upper-case. */
export function normalizeIban(input: string): IbanResult {
  const iban = input.replace(/ /g, '').toUpperCase()
  if (!iban) return { ok: false, reason: 'must not be empty' }
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban)) {
    return { ok: false, reason: 'must be an IBAN: country code, two check digits, then letters and digits' }
  }
  const length = LENGTHS[iban.slice(0, 2)]
  if (length === undefined) return { ok: false, reason: `unknown IBAN country ${iban.slice(0, 2)}` }
  if (iban.length !== length) return { ok: false, reason: `a ${iban.slice(0, 2)} IBAN has ${length} characters` }
  if (mod97(iban.slice(4) + iban.slice(0, 4)) !== 1) return { ok: false, reason: 'IBAN check digits do not match' }
  return { ok: true, iban }
}

/** Letters count as 10..35; computed piecewise so no number exceeds 2^53. */
function mod97(s: string): number {
  let rest = 0
  for (const ch of s) {
    const code = ch.charCodeAt(0)
    const value = code >= 65 ? code - 55 : code - 48
    rest = (rest * (value >= 10 ? 100 : 10) + value) % 97
  }
  return rest
}
