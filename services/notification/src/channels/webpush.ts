import webpush from 'web-push'
import type { Db } from '@brokerage/platform'
import type { ClaimedDelivery, Store } from '../store.js'
import { PermanentDeliveryError, type ChannelSender } from './port.js'
import { publicHostProblem, type Lookup } from './public-host.js'

export interface VapidKeys {
  publicKey: string
  privateKey: string
  /** mailto: or https: contact the push services may use. */
  subject: string
}

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and the payload encrypted to the subscription's
 * keys (RFC 8291, aes128gcm). Each delivery is for one subscription (so a retry goes to that
 * browser only). web-push builds the request (keys, encryption, JWT); it is sent with fetch,
 * which bounds it with a timeout. A 404 or 410 means the browser dropped the subscription: it
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
  lookup?: Lookup
}): ChannelSender {
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
      if (!deps.allowPrivate) {
        const problem = await publicHostProblem(new URL(req.endpoint), deps.lookup)
        if (problem) throw new PermanentDeliveryError(`endpoint not called: its host ${problem}`)
      }
      const res = await fetch(req.endpoint, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: req.body ?? undefined,
        signal: AbortSignal.timeout(deps.timeoutMs),
      })
      await res.body?.cancel()
      if (res.ok) return
      if (res.status === 404 || res.status === 410) {
        await deps.store.removePushSubscription(deps.db, d.customerId, d.subscriptionId)
        throw new PermanentDeliveryError(`${res.status}: subscription gone, removed`)
      }
      if (res.status === 429 || res.status >= 500) throw new Error(`push service answered ${res.status}`)
      throw new PermanentDeliveryError(`push service answered ${res.status}`)
    },
  }
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
