import { test } from 'node:test'
import assert from 'node:assert/strict'
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
