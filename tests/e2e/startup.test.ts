import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SERVICES = ['asset', 'customer', 'gateway', 'order', 'order-processor']

// Every variable a service reads is invalid or missing here, so each one fails in its configuration.
const BAD_ENV = { PORT: 'not-a-port', PASSWORD_HASH_COST: 'not-a-number', RESERVATION_TIMEOUT_MS: 'soon' }

async function start(service: string) {
  const main = fileURLToPath(new URL(`../../services/${service}/src/main.ts`, import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { PATH: process.env.PATH, ...BAD_ENV },
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
