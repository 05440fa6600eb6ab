import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import Handlebars from 'handlebars'

// A development mail catcher, as Mailpit is for others: a real SMTP server (smtp-server)
// that keeps the last mails in memory and a web page that lists them (JSON at /messages.json).
// `npm start` sends every mail here unless SMTP_URL names a real server; the tests use it
// as the SMTP peer they read from.

export interface CaughtMail {
  id: number
  /** The SMTP envelope's recipients, which is where the mail really went. */
  to: string[]
  from: string
  subject: string
  text: string
  html: string
  receivedAt: string
}

export interface MailCatcherOptions {
  host?: string
  /** 0 picks a free port. */
  smtpPort?: number
  httpPort?: number
  keep?: number
}

export async function startMailCatcher(opts: MailCatcherOptions = {}) {
  const host = opts.host ?? '127.0.0.1'
  const keep = opts.keep ?? 500
  const mails: CaughtMail[] = []
  const waiters = new Set<{ match: (m: CaughtMail) => boolean; resolve: (m: CaughtMail) => void }>()
  let nextId = 1
  let connections = 0

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, callback) {
      connections++
      callback()
    },
    onData(stream, session, callback) {
      // Loaded with the first mail: mailparser (and its charset tables) is ≈ 9 MB of heap an idle service need not hold.
      import('mailparser')
        .then(({ simpleParser }) => simpleParser(stream))
        .then((parsed) => {
          const mail: CaughtMail = {
            id: nextId++,
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          }
          mails.push(mail)
          if (mails.length > keep) mails.shift()
          for (const w of [...waiters]) {
            if (w.match(mail)) {
              waiters.delete(w)
              w.resolve(mail)
            }
          }
          callback()
        })
        .catch((err: Error) => callback(err))
    },
  })
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', (err) => reject(portError(err, 'SMTP', host, opts.smtpPort ?? 0)))
    smtp.listen(opts.smtpPort ?? 0, host, () => resolve())
  })
  smtp.on('error', () => {}) // a client that drops its connection is no reason to stop

  const page = Handlebars.compile(
    `<!doctype html><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font-family:sans-serif;margin:2em}article{border-top:1px solid #ccc;padding:.5em 0}pre{white-space:pre-wrap}</style>
<h1>Mail catcher</h1><p>{{mails.length}} mail(s), newest first. <a href="messages.json">JSON</a></p>
{{#each mails}}<article><b>{{subject}}</b><br>to {{to}} · from {{from}} · {{receivedAt}}<pre>{{text}}</pre></article>{{/each}}`,
  )
  const web = createServer((req, res) => {
    const newest = [...mails].reverse()
    if (req.url === '/messages.json') {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(newest))
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(page({ mails: newest }))
  })
  await new Promise<void>((resolve, reject) => {
    web.once('error', (err) => reject(portError(err, 'HTTP', host, opts.httpPort ?? 0)))
    web.listen(opts.httpPort ?? 0, host, () => resolve())
  }).catch(async (err: unknown) => {
    await new Promise((r) => smtp.close(() => r(undefined)))
    throw err
  })

  const smtpPort = (smtp.server.address() as AddressInfo).port
  const httpPort = (web.address() as AddressInfo).port
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    webUrl: `http://${host}:${httpPort}/`,
    mails: () => [...mails],
    /** SMTP connections accepted so far (a pooled sender reuses its few). */
    connections: () => connections,
    /** The first mail (already caught or still to come) that matches. */
    waitFor(match: (m: CaughtMail) => boolean): Promise<CaughtMail> {
      const found = mails.find(match)
      if (found) return Promise.resolve(found)
      return new Promise((resolve) => waiters.add({ match, resolve }))
    },
    async stop() {
      web.closeAllConnections()
      await Promise.all([new Promise((r) => web.close(r)), new Promise((r) => smtp.close(() => r(undefined)))])
    },
  }
}

/** A taken port says which of the two it is and how to move it, rather than a bare EADDRINUSE. */
function portError(err: Error & { code?: string }, which: 'SMTP' | 'HTTP', host: string, port: number): Error {
  if (err.code !== 'EADDRINUSE') return err
  return new Error(
    `the mail catcher's ${which} port ${host}:${port} is already in use: free it, or set MAIL_CATCHER_${which}_PORT ` +
      `to another port (0 = any free port), or SMTP_URL to a real mail server`,
    { cause: err },
  )
}

export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>
