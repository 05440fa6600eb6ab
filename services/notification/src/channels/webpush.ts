import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import webpush from 'web-push'
import type { Db } from '@brokerage/platform'
import type { ClaimedDelivery, Store } from '../store.js'
import { PermanentDeliveryError, type ChannelSender } from './port.js'
import { literalHostProblem, NonPublicAddressError, publicOnlyLookup, type LookupFunction } from './public-host.js'

export interface VapidKeys {
  publicKey: string
  privateKey: string
  /** mailto: or https: contact the push services may use. */
  subject: string
}

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and the payload encrypted to the subscription's
 * keys (RFC 8291, aes128gcm). Each delivery is for one subscription (so a retry goes to that
 * browser only). web-push builds the request (keys, encryption, JWT); it is sent with Node's
 * http client, bounded by a timeout. A 404 or 410 means the browser dropped the subscription: it
 * is removed and the delivery fails; 429, 5xx and network errors are retried.
 */
export function createWebPushSender(deps: {
  db: Db
  store: Store
  vapid: VapidKeys
  timeoutMs: number
  ttlSeconds?: number
  /** Development and tests: endpoints on this machine or a private network are called too. */
  allowPrivate?: boolean
  /** How names resolve (tests); dns.lookup by default. */
  resolve?: LookupFunction
}): ChannelSender {
  const lookup = publicOnlyLookup(deps.resolve)
  return {
    async send(d: ClaimedDelivery) {
      if (!d.subscriptionId) throw new PermanentDeliveryError('no push subscription')
      if (!d.push) throw new PermanentDeliveryError('push subscription removed')
      const payload = JSON.stringify({ notificationId: d.notificationId, eventType: d.eventType, title: d.subject, body: d.body })
      const req = webpush.generateRequestDetails(
        { endpoint: d.push.endpoint, keys: { p256dh: d.push.p256dh, auth: d.push.auth } },
        payload,
        {
          vapidDetails: deps.vapid,
          TTL: deps.ttlSeconds ?? 24 * 3600,
          contentEncoding: 'aes128gcm',
        },
      )
      const url = new URL(req.endpoint)
      const literal = deps.allowPrivate ? null : literalHostProblem(url)
      if (literal) throw new PermanentDeliveryError(`endpoint not called: its host ${literal}`)
      let status: number
      try {
        status = await post(url, req, { timeoutMs: deps.timeoutMs, lookup: deps.allowPrivate ? deps.resolve : lookup })
      } catch (err) {
        if (err instanceof NonPublicAddressError) throw new PermanentDeliveryError(`endpoint not called: its host ${err.message}`)
        throw err
      }
      if (status >= 200 && status < 300) return
      if (status === 404 || status === 410) {
        await deps.store.removePushSubscription(deps.db, d.customerId, d.subscriptionId)
        throw new PermanentDeliveryError(`${status}: subscription gone, removed`)
      }
      if (status === 429 || status >= 500) throw new Error(`push service answered ${status}`)
      throw new PermanentDeliveryError(`push service answered ${status}`)
    },
  }
}

/**
 * One request to a push service; resolves with its status once the answer's headers are in (its
 * body is not needed). Node's http client rather than fetch: its `lookup` is where the address
 * is checked, as the connection is made.
 */
function post(
  url: URL,
  req: { method: string; headers: Record<string, unknown>; body?: Buffer | null },
  o: { timeoutMs: number; lookup?: LookupFunction },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest
    const r = send(
      url,
      { method: req.method, headers: req.headers as Record<string, string>, lookup: o.lookup, signal: AbortSignal.timeout(o.timeoutMs) },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    r.on('error', reject)
    r.end(req.body ?? undefined)
  })
}

/** Production takes the keys from configuration; a development start makes a pair once and keeps it in the database. */
export async function vapidKeys(
  deps: { db: Db; store: Store },
  given: { publicKey?: string; privateKey?: string; subject: string; generate: boolean },
) {
  if (given.publicKey && given.privateKey) return { publicKey: given.publicKey, privateKey: given.privateKey, subject: given.subject }
  if (!given.generate) throw new Error('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are required in production')
  const fresh = webpush.generateVAPIDKeys()
  const stored = JSON.parse(await deps.store.initSetting(deps.db, 'vapid', JSON.stringify(fresh))) as {
    publicKey: string
    privateKey: string
  }
  return { ...stored, subject: given.subject }
}
