import webpush from 'web-push'
import type { Db } from '@brokerage/platform'
import type { ClaimedDelivery, Store } from '../store.js'
import { PermanentDeliveryError, type ChannelSender } from './port.js'

export interface VapidKeys {
  publicKey: string
  privateKey: string
  /** mailto: or https: contact the push services may use. */
  subject: string
}

/**
 * Web push (RFC 8030) with VAPID (RFC 8292) and the payload encrypted to the subscription's
 * keys (RFC 8291, aes128gcm). web-push builds the request (keys, encryption, JWT); it is sent
 * with fetch, which bounds it with a timeout. A 404 or 410 means the browser dropped the
 * subscription: it is removed. Sent when at least one subscription took it.
 */
export function createWebPushSender(deps: {
  db: Db
  store: Store
  vapid: VapidKeys
  timeoutMs: number
  ttlSeconds?: number
}): ChannelSender {
  return {
    async send(d: ClaimedDelivery) {
      const subs = await deps.store.pushSubscriptions(deps.db, d.customerId)
      if (!subs.length) throw new PermanentDeliveryError('no push subscription')
      const payload = JSON.stringify({ notificationId: d.notificationId, eventType: d.eventType, title: d.subject, body: d.body })
      const errors: string[] = []
      let delivered = 0
      let retryable = false
      for (const s of subs) {
        const req = webpush.generateRequestDetails({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
          vapidDetails: deps.vapid,
          TTL: deps.ttlSeconds ?? 24 * 3600,
          contentEncoding: 'aes128gcm',
        })
        try {
          const res = await fetch(req.endpoint, {
            method: req.method,
            headers: req.headers as Record<string, string>,
            body: req.body ?? undefined,
            signal: AbortSignal.timeout(deps.timeoutMs),
          })
          await res.body?.cancel()
          if (res.ok) delivered++
          else if (res.status === 404 || res.status === 410) {
            await deps.store.removePushSubscription(deps.db, s.customerId, s.id)
            errors.push(`${res.status}: subscription gone, removed`)
          } else {
            errors.push(`push service answered ${res.status}`)
            if (res.status === 429 || res.status >= 500) retryable = true
          }
        } catch (err) {
          errors.push((err as Error).message)
          retryable = true
        }
      }
      if (delivered > 0) return
      const message = errors.join('; ')
      throw retryable ? new Error(message) : new PermanentDeliveryError(message)
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
