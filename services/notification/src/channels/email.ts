import nodemailer from 'nodemailer'
import Handlebars from 'handlebars'
import type { ClaimedDelivery } from '../store.js'
import { PermanentDeliveryError, type ChannelSender } from './port.js'

export interface EmailOptions {
  /** smtp://user:pass@host:port or smtps://…; nodemailer reads the options from the URL. */
  smtpUrl: string
  from: string
  /** Bounds each connection, greeting and socket wait, so a dead server fails the attempt instead of holding it. */
  timeoutMs: number
  /** Open SMTP connections kept and reused (nodemailer's pool); a connection carries up to 100 mails. */
  maxConnections: number
}

/**
 * Email over SMTP with nodemailer: a 5xx answer (no such mailbox) is permanent, anything else is retried.
 * Pooled, because a connection per mail (TCP, greeting, EHLO, and TLS where used) costs more than the mail.
 */
export function createEmailSender(opts: EmailOptions): ChannelSender & { close(): void } {
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    pool: true,
    maxConnections: opts.maxConnections,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  })
  return {
    async send(d: ClaimedDelivery) {
      // The replica follows CustomerCreated; until it arrives there is no address yet, which time fixes.
      if (!d.email) throw new Error('no email address for the customer yet')
      const html = `<div style="font-family:sans-serif;white-space:pre-line">${Handlebars.escapeExpression(d.body)}</div>`
      try {
        await transport.sendMail({ from: opts.from, to: d.email, subject: d.subject, text: d.body, html })
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode
        if (code !== undefined && code >= 500) throw new PermanentDeliveryError(`SMTP ${code}: ${(err as Error).message}`)
        throw err
      }
    },
    close: () => transport.close(),
  }
}
