// A tiny, typed environment reader for main.ts files (the only place process.env is read).
// It reports every missing or invalid variable at once, so a misconfigured deploy is
// fixed in one round instead of one crash per variable.

interface Common {
  /** Missing (unset or empty) is an error. Ignored when a default is given. */
  required?: boolean
}
export type VarSpec =
  | (Common & { type: 'string'; default?: string })
  | (Common & { type: 'int'; default?: number; min?: number; max?: number })
  | (Common & { type: 'url'; default?: string })
  | (Common & { type: 'bool'; default?: boolean })
  | (Common & { type: 'enum'; values: readonly string[]; default?: string })

export type ConfigSpec = Record<string, VarSpec>

type ValueOf<S extends VarSpec> = S extends { type: 'int' }
  ? number
  : S extends { type: 'bool' }
    ? boolean
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : string

type Resolved<S extends VarSpec> = S extends { default: unknown } | { required: true } ? ValueOf<S> : ValueOf<S> | undefined

export type Config<S extends ConfigSpec> = { readonly [K in keyof S]: Resolved<S[K]> }

export type Env = Readonly<Record<string, string | undefined>>

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
}

const TRUE = new Set(['true', '1', 'yes', 'on'])
const FALSE = new Set(['false', '0', 'no', 'off'])

/**
 * Reads `spec`'s variables from `env` and returns a frozen, typed object keyed by the
 * variable names (so `grep DATABASE_URL` finds every use). Throws one ConfigError
 * listing every problem.
 */
export function readConfig<const S extends ConfigSpec>(env: Env, spec: S): Config<S> {
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  for (const [name, s] of Object.entries(spec)) {
    const raw = env[name]?.trim()
    // An empty value counts as unset: compose files and shells often export `X=`.
    if (raw === undefined || raw === '') {
      if (s.default !== undefined) out[name] = s.default
      else if (s.required) problems.push(`${name}: required but not set`)
      else out[name] = undefined
      continue
    }
    const parsed = parse(s, raw)
    if (parsed.ok) out[name] = parsed.value
    else problems.push(`${name}: ${parsed.problem}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(out) as Config<S>
}

type Parsed = { ok: true; value: unknown } | { ok: false; problem: string }

function parse(s: VarSpec, raw: string): Parsed {
  switch (s.type) {
    case 'string':
      return { ok: true, value: raw }
    case 'int': {
      const n = Number(raw)
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) return { ok: false, problem: `expected an integer, got "${raw}"` }
      if (s.min !== undefined && n < s.min) return { ok: false, problem: `must be ≥ ${s.min}, got ${n}` }
      if (s.max !== undefined && n > s.max) return { ok: false, problem: `must be ≤ ${s.max}, got ${n}` }
      return { ok: true, value: n }
    }
    case 'url':
      // The value is not echoed: connection URLs carry passwords.
      return URL.canParse(raw) ? { ok: true, value: raw } : { ok: false, problem: 'expected an absolute URL' }
    case 'bool': {
      const v = raw.toLowerCase()
      if (TRUE.has(v)) return { ok: true, value: true }
      if (FALSE.has(v)) return { ok: true, value: false }
      return { ok: false, problem: `expected true/false, got "${raw}"` }
    }
    case 'enum':
      return s.values.includes(raw)
        ? { ok: true, value: raw }
        : { ok: false, problem: `expected one of ${s.values.join('|')}, got "${raw}"` }
  }
}
