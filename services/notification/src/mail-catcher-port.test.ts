import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:net'
import type { AddressInfo } from 'node:net'
import { freePort, teardown } from '@brokerage/platform/testing'
import { startMailCatcher } from './mail-catcher.js'
import { mailCatcherPort } from './mail-catcher-port.js'

/** A port held by another listener for the rest of the test (as Mailpit would hold 8025). */
async function holdPort(t: { after(fn: () => unknown): void }): Promise<number> {
  const srv: Server = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  teardown(t).after(() => new Promise((r) => srv.close(r)))
  return (srv.address() as AddressInfo).port
}

test('when the default port is free, then the mail catcher gets it', async () => {
  const port = await freePort()
  assert.deepEqual(await mailCatcherPort('MAIL_CATCHER_HTTP_PORT', port, {}), { port })
})

test('when the default port is taken, then the mail catcher falls back to a free port and says which was taken', async (t) => {
  const held = await holdPort(t)
  const got = await mailCatcherPort('MAIL_CATCHER_HTTP_PORT', held, {})
  assert.equal(got.taken, held)
  assert.notEqual(got.port, held)
  // The fallback is really free: the catcher starts on it.
  const catcher = await startMailCatcher({ httpPort: got.port })
  teardown(t).after(() => catcher.stop())
  assert.equal(catcher.webUrl, `http://127.0.0.1:${got.port}/`)
})

test('when a port set on purpose is taken, then it fails naming the port and the variable', async (t) => {
  const held = await holdPort(t)
  await assert.rejects(
    mailCatcherPort('MAIL_CATCHER_SMTP_PORT', 1025, { MAIL_CATCHER_SMTP_PORT: String(held) }),
    new RegExp(
      `^Error: MAIL_CATCHER_SMTP_PORT=${held} is already in use on 127\\.0\\.0\\.1: free it, or set MAIL_CATCHER_SMTP_PORT to another port`,
    ),
  )
})

test('when the variable is 0 or not a port, then 0 picks a free port and the rest is refused by name', async () => {
  const any = await mailCatcherPort('MAIL_CATCHER_SMTP_PORT', 1025, { MAIL_CATCHER_SMTP_PORT: '0' })
  assert.ok(any.port > 0 && any.taken === undefined, JSON.stringify(any))
  for (const bad of ['smtp', '70000', '-1', '']) {
    await assert.rejects(
      mailCatcherPort('MAIL_CATCHER_SMTP_PORT', 1025, { MAIL_CATCHER_SMTP_PORT: bad }),
      new RegExp(`MAIL_CATCHER_SMTP_PORT=${bad} is not a port number`),
    )
  }
})

test('when the mail catcher is told to bind a taken port, then it fails naming that port and its variable, not a bare EADDRINUSE', async (t) => {
  const held = await holdPort(t)
  await assert.rejects(
    startMailCatcher({ httpPort: held }),
    new RegExp(`mail catcher's HTTP port 127\\.0\\.0\\.1:${held} is already in use: free it, or set MAIL_CATCHER_HTTP_PORT`),
  )
  await assert.rejects(startMailCatcher({ smtpPort: held }), /mail catcher's SMTP port .* set MAIL_CATCHER_SMTP_PORT/)
})
