import { readFileSync } from 'node:fs'

// A tiny, typed environment reader for main.ts files (the only place process.env is read).
// It reports every missing or invalid variable at once, so a misconfigured deploy is
// fixed in one round instead of one crash per variable.

interface Common {
  /** Missing (unset or empty) is an error. Ignored when a default is given. */
  required?: boolean
  /**
   * The default is for development only: with NODE_ENV=production the variable must be set,
   * to something other than the default (ADMIN_PASSWORD=admin is refused too).
   */
  productionRequired?: boolean
  /** A password or key: never echoed in a problem, and readable from `<NAME>_FILE`. */
  secret?: boolean
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

/** NODE_ENV=production: development defaults are refused (see `productionRequired`). */
export const isProduction = (env: Env) => env['NODE_ENV']?.trim() === 'production'

/**
 * A variable's value: `NAME`, or the content of the file `NAME_FILE` names (how Kubernetes
 * and Docker secrets are mounted), trimmed like any value. Setting both is an error.
 */
function rawValue(env: Env, name: string): { value?: string; problem?: string } {
  const direct = env[name]?.trim()
  const file = env[`${name}_FILE`]?.trim()
  if (!file) return { value: direct }
  if (direct) return { problem: `${name}: set either ${name} or ${name}_FILE, not both` }
  try {
    return { value: readFileSync(file, 'utf8').trim() }
  } catch (err) {
    return { problem: `${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})` }
  }
}

/**
 * Reads `spec`'s variables from `env` and returns a frozen, typed object keyed by the
 * variable names (so `grep DATABASE_URL` finds every use). Throws one ConfigError
 * listing every problem.
 */
export function readConfig<const S extends ConfigSpec>(env: Env, spec: S): Config<S> {
  const out: Record<string, unknown> = {}
  const problems: string[] = []
  const production = isProduction(env)
  for (const [name, s] of Object.entries(spec)) {
    const { value: raw, problem } = rawValue(env, name)
    if (problem) {
      problems.push(problem)
      continue
    }
    // An empty value counts as unset: compose files and shells often export `X=`.
    if (raw === undefined || raw === '') {
      if (production && s.productionRequired)
        problems.push(`${name}: required in production (NODE_ENV=production); the development default is refused`)
      else if (s.default !== undefined) out[name] = s.default
      else if (s.required) problems.push(`${name}: required but not set`)
      else out[name] = undefined
      continue
    }
    if (production && s.productionRequired && s.default !== undefined && raw === String(s.default)) {
      problems.push(`${name}: the development default is refused in production (NODE_ENV=production)`)
      continue
    }
    const parsed = parse(s, raw)
    if (parsed.ok) out[name] = parsed.value
    else problems.push(`${name}: ${s.secret ? 'invalid (value not shown)' : parsed.problem}`)
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
