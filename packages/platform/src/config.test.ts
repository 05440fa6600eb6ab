import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, readConfig } from './config.js'

const spec = {
  PORT: { type: 'int', default: 8080, min: 1, max: 65535 },
  DATABASE_URL: { type: 'url', required: true },
  LOG_LEVEL: { type: 'enum', values: ['debug', 'info', 'warn'], default: 'info' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { type: 'url' },
  DEV_MODE: { type: 'bool', default: false },
  SERVICE_NAME: { type: 'string', default: 'order' },
} as const

test('when every variable is valid, then a typed frozen object is returned with defaults filled in', () => {
  const cfg = readConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/db', PORT: '9090', DEV_MODE: 'yes' }, spec)
  assert.deepEqual(cfg, {
    PORT: 9090,
    DATABASE_URL: 'postgres://u:p@localhost:5432/db',
    LOG_LEVEL: 'info',
    OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
    DEV_MODE: true,
    SERVICE_NAME: 'order',
  })
  assert.ok(Object.isFrozen(cfg))
  // Compile-time checks: these assignments only type-check if inference is right.
  const port: number = cfg.PORT
  const level: 'debug' | 'info' | 'warn' = cfg.LOG_LEVEL
  const otel: string | undefined = cfg.OTEL_EXPORTER_OTLP_ENDPOINT
  const dev: boolean = cfg.DEV_MODE
  assert.equal(typeof port + typeof level + typeof otel + typeof dev, 'numberstringundefinedboolean')
})

test('when several variables are missing or invalid, then one error lists every one of them', () => {
  const env = { PORT: '80a', LOG_LEVEL: 'loud', DEV_MODE: 'maybe', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url://secret' }
  const err = (() => {
    try {
      readConfig(env, spec)
    } catch (e) {
      return e
    }
    assert.fail('expected readConfig to throw')
  })()
  assert.ok(err instanceof ConfigError)
  assert.deepEqual(err.problems, [
    'PORT: expected an integer, got "80a"',
    'DATABASE_URL: required but not set',
    'LOG_LEVEL: expected one of debug|info|warn, got "loud"',
    'OTEL_EXPORTER_OTLP_ENDPOINT: expected an absolute URL',
    'DEV_MODE: expected true/false, got "maybe"',
  ])
  assert.match(err.message, /PORT[\s\S]*DATABASE_URL[\s\S]*DEV_MODE/)
  assert.doesNotMatch(err.message, /secret/, 'URLs may hold passwords and are not echoed')
})

test('when a value is empty or out of range, then empty counts as unset and range is enforced', () => {
  assert.equal(readConfig({ DATABASE_URL: 'postgres://x/db', PORT: '' }, spec).PORT, 8080)
  assert.throws(() => readConfig({ DATABASE_URL: '  ' }, spec), /DATABASE_URL: required but not set/)
  assert.throws(() => readConfig({ DATABASE_URL: 'postgres://x/db', PORT: '70000' }, spec), /PORT: must be ≤ 65535, got 70000/)
  assert.equal(readConfig({ DATABASE_URL: 'postgres://x/db', PORT: ' 81 ' }, spec).PORT, 81)
})

const secrets = {
  ADMIN_PASSWORD: { type: 'string', default: 'admin', productionRequired: true, secret: true },
  PORT: { type: 'int', default: 8080 },
} as const

test('when NODE_ENV=production and a development default would be used or is set, then the variable is named and refused', () => {
  assert.throws(
    () => readConfig({ NODE_ENV: 'production' }, secrets),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.problems.length === 1 &&
      /^ADMIN_PASSWORD: required in production \(NODE_ENV=production\)/.test(e.problems[0]!),
  )
  assert.throws(
    () => readConfig({ NODE_ENV: 'production', ADMIN_PASSWORD: 'admin' }, secrets),
    /ADMIN_PASSWORD: the development default is refused/,
  )
  assert.equal(readConfig({ NODE_ENV: 'production', ADMIN_PASSWORD: 's3cret!' }, secrets).ADMIN_PASSWORD, 's3cret!')
  // Outside production the default stands, and other variables keep theirs in production.
  assert.equal(readConfig({}, secrets).ADMIN_PASSWORD, 'admin')
  assert.equal(readConfig({ NODE_ENV: 'production', ADMIN_PASSWORD: 'x' }, secrets).PORT, 8080)
})

test('when <NAME>_FILE names a file, then the value is read from it; both set or an unreadable file is named', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'config-'))
  const file = join(dir, 'admin-password')
  await writeFile(file, 'from a mounted secret\n')
  assert.equal(readConfig({ ADMIN_PASSWORD_FILE: file }, secrets).ADMIN_PASSWORD, 'from a mounted secret')
  assert.equal(readConfig({ NODE_ENV: 'production', ADMIN_PASSWORD_FILE: file }, secrets).ADMIN_PASSWORD, 'from a mounted secret')
  assert.throws(
    () => readConfig({ ADMIN_PASSWORD: 'a', ADMIN_PASSWORD_FILE: file }, secrets),
    /set either ADMIN_PASSWORD or ADMIN_PASSWORD_FILE/,
  )
  assert.throws(() => readConfig({ ADMIN_PASSWORD_FILE: join(dir, 'missing') }, secrets), /ADMIN_PASSWORD_FILE: cannot read .*ENOENT/)
})
