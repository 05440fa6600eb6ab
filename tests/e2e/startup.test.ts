import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SERVICES = ['asset', 'customer', 'gateway', 'order', 'order-processor']

// Every variable a service reads is invalid or missing here, so each one fails in its configuration.
const BAD_ENV = { PORT: 'not-a-port', PASSWORD_HASH_COST: 'not-a-number', RESERVATION_TIMEOUT_MS: 'soon' }

async function start(service: string, env: Record<string, string> = BAD_ENV) {
  const main = fileURLToPath(new URL(`../../services/${service}/src/main.ts`, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)))
  return { code, stdout, stderr }
}

for (const service of SERVICES) {
  test(`when ${service} is started with a bad configuration, then it logs one fatal JSON line naming the problem and exits 1`, async () => {
    const { code, stdout, stderr } = await start(service)
    assert.equal(code, 1, stderr)
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const fatal = lines.filter((l) => l['level'] === 'fatal')
    assert.deepEqual(
      fatal.map((l) => [l['service'], l['msg']]),
      [[service, 'start failed']],
      stderr,
    )
    assert.match(String((fatal[0]!['err'] as { message?: string }).message), /DATABASE_URL|PORT|PASSWORD_HASH_COST/)
    assert.equal(stderr, '', 'nothing but the JSON log line')
  })
}

/** The message of the one fatal line a refused start logs. */
function fatalMessage(stdout: string): string {
  const fatal = stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l['level'] === 'fatal')
  assert.equal(fatal.length, 1, stdout)
  return String((fatal[0]!['err'] as { message?: string }).message)
}

// The development database of `npm start` (the embedded PostgreSQL's postgres/postgres); the
// port is closed, but the configuration is refused before any connection is tried.
const DEV_DATABASE = 'postgres://postgres:postgres@127.0.0.1:1/brokerage'
const OWN_DATABASE = 'postgres://brokerage:a-real-secret@127.0.0.1:1/brokerage'

for (const service of SERVICES) {
  test(`when ${service} starts with NODE_ENV=production and the development database password, then it names DATABASE_URL and exits 1`, async () => {
    const { code, stdout } = await start(service, {
      NODE_ENV: 'production',
      DATABASE_URL: DEV_DATABASE,
      ADMIN_PASSWORD: 'a-real-admin-secret',
      // The gateway's tokens from an external provider: no signing key of its own needed.
      OIDC_ISSUER_URL: 'https://idp.example.com',
    })
    assert.equal(code, 1)
    assert.match(fatalMessage(stdout), /DATABASE_URL: carries the development database password/)
  })
}

test('when the gateway starts with NODE_ENV=production and no admin password or admin/admin, then it names ADMIN_PASSWORD and exits 1', async () => {
  for (const admin of [{}, { ADMIN_PASSWORD: 'admin' }] as Array<Record<string, string>>) {
    const { code, stdout } = await start('gateway', { NODE_ENV: 'production', DATABASE_URL: OWN_DATABASE, ...admin })
    assert.equal(code, 1)
    assert.match(fatalMessage(stdout), /ADMIN_PASSWORD: (required in production|the development default is refused)/)
  }
})

test('when the gateway starts with NODE_ENV=production and no signing key, then it names TOKEN_SIGNING_KEY and exits 1', async () => {
  const { code, stdout } = await start('gateway', {
    NODE_ENV: 'production',
    DATABASE_URL: OWN_DATABASE,
    ADMIN_PASSWORD: 'a-real-admin-secret',
    // Past the configuration's own checks (mutual TLS would be refused first), to the signing key's.
    GRPC_TLS: 'off',
  })
  assert.equal(code, 1)
  assert.match(fatalMessage(stdout), /TOKEN_SIGNING_KEY: required in production/)
})
