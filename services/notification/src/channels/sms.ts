import type { Logger } from '@brokerage/platform'
import type { ClaimedDelivery } from '../store.js'
import { PermanentDeliveryError, type ChannelSender } from './port.js'

/** The SMS provider port: one message to one number. */
export interface SmsProvider {
  send(to: string, body: string): Promise<void>
}

export interface TwilioOptions {
  /** https://api.twilio.com in production; a local server in tests. */
  baseUrl: string
  accountSid: string
  authToken: string
  from: string
  timeoutMs: number
}

/**
 * Twilio's REST shape: POST /2010-04-01/Accounts/{sid}/Messages.json, form-encoded To, From,
 * Body, HTTP basic auth. A 4xx (bad number, bad credentials) is permanent except 429 (rate
 * limited); a 5xx, a timeout or a broken connection is retried.
 */
export function createTwilioProvider(opts: TwilioOptions): SmsProvider {
  const url = new URL(`/2010-04-01/Accounts/${encodeURIComponent(opts.accountSid)}/Messages.json`, opts.baseUrl)
  const authorization = `Basic ${Buffer.from(`${opts.accountSid}:${opts.authToken}`).toString('base64')}`
  return {
    async send(to, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ To: to, From: opts.from, Body: body }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      })
      if (res.ok) {
        await res.body?.cancel()
        return
      }
      const text = (await res.text().catch(() => '')).slice(0, 300)
      let detail = text
      try {
        detail = (JSON.parse(text) as { message?: string }).message ?? text
      } catch {}
      const message = `SMS provider answered ${res.status}: ${detail}`
      if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new PermanentDeliveryError(message)
      throw new Error(message)
    },
  }
}

/** Development: the message goes to the log, so `npm start` needs no provider account. */
export function createLogSmsProvider(log: Logger): SmsProvider {
  return {
    async send(to, body) {
      log.info({ to, body }, 'SMS (log provider)')
    },
  }
}

export function createSmsSender(provider: SmsProvider): ChannelSender {
  return {
    async send(d: ClaimedDelivery) {
      if (!d.phone) throw new PermanentDeliveryError('no phone number in the contact details')
      await provider.send(d.phone, d.body)
    },
  }
}
