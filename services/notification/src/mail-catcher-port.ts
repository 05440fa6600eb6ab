import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'

// Apart from mail-catcher.ts so that `npm start` can choose the ports without loading the
// SMTP server and mail parser into the launcher.

/**
 * The port `npm start` gives the catcher for `variable` (MAIL_CATCHER_SMTP_PORT or _HTTP_PORT).
 * The catcher's ports are a convenience, not a contract: nothing but the printed link uses
 * them, and the defaults (1025/8025) are Mailpit's and MailHog's own, so a developer already
 * running one is their likely holder. A default that is taken gives way to a free port
 * (`taken` says which was); a port set on purpose is not second-guessed: taken, it is an
 * error naming the variable. 0 asks for any free port. Checked before the service binds it,
 * so a port taken in between still fails, with portError's message.
 */
export async function mailCatcherPort(
  variable: string,
  preferred: number,
  env: Record<string, string | undefined>,
): Promise<{ port: number; taken?: number }> {
  const set = env[variable]
  if (set !== undefined && !(/^\d+$/.test(set) && Number(set) <= 65535))
    throw new Error(`${variable}=${set} is not a port number (0 = any free port)`)
  const wanted = set === undefined ? preferred : Number(set)
  if (wanted !== 0) {
    if ((await bindTo(wanted)) === wanted) return { port: wanted }
    if (set !== undefined)
      throw new Error(
        `${variable}=${wanted} is already in use on 127.0.0.1: free it, or set ${variable} to another port (0 = any free port)`,
      )
  }
  const port = (await bindTo(0))!
  return wanted === 0 ? { port } : { port, taken: wanted }
}

/** Binds 127.0.0.1:port for a moment: the port it got, or undefined if it is taken. */
function bindTo(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', (err: Error & { code?: string }) => (err.code === 'EADDRINUSE' ? resolve(undefined) : reject(err)))
    srv.listen(port, '127.0.0.1', () => {
      const got = (srv.address() as AddressInfo).port
      srv.close(() => resolve(got))
    })
  })
}
