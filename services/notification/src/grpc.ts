import { randomUUID } from 'node:crypto'
import { isUuid } from '@brokerage/contracts'
import { AppError, fieldErrors, type Db, type GrpcHandlers } from '@brokerage/platform'
import { CHANNELS, type Channel, type Contact, type PushSubscriptionRow, type Store } from './store.js'
import { DEFAULT_ON } from './messages.js'
import { KINDS, LOCALES, type Locale } from './templates.js'
import { literalHostProblem } from './channels/public-host.js'

// brokerage.notification.v1.NotificationService: every bad field reported at once before
// anything is read or written; rows mapped to the proto's snake_case, "" standing for absent.

const MAX_PAGE_SIZE = 100
const DEFAULT_PAGE_SIZE = 20
/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const PHONE = /^\+[1-9]\d{6,14}$/
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/

function checker() {
  const problems = fieldErrors()
  return {
    ...problems,
    customerId(value: unknown) {
      if (!isUuid(value)) problems.add('customer_id', 'must be a UUID')
      return String(value)
    },
  }
}

const iso = (d: Date | null) => (d ? d.toISOString() : '')

/** Decodes base64url and checks the length of what it holds (a P-256 point is 65 bytes, the auth secret 16). */
function base64urlBytes(value: string): number {
  return BASE64URL.test(value) ? Buffer.from(value, 'base64url').length : -1
}

export function createNotificationGrpc(deps: {
  db: Db
  store: Store
  now: () => Date
  vapidPublicKey: string
  /** Tests and development only: a push endpoint on plain http (a local test push service). */
  allowHttpPush?: boolean
  /** Development and tests: push endpoints on this machine or a private network. */
  allowPrivatePush?: boolean
}): GrpcHandlers<'notification'> {
  const { db, store, now } = deps

  async function contactOut(c: Contact) {
    const subs = await store.pushSubscriptions(db, c.customerId)
    return {
      customer_id: c.customerId,
      email: c.email ?? '',
      phone: c.phone ?? '',
      locale: c.locale,
      push_subscriptions: subs.map(subscriptionOut),
      vapid_public_key: deps.vapidPublicKey,
    }
  }
  const subscriptionOut = (s: PushSubscriptionRow) => ({ id: s.id, endpoint: s.endpoint, created_at: iso(s.createdAt) })

  async function preferencesOut(customerId: string) {
    const chosen = new Map((await store.preferences(db, [customerId])).map((p) => [`${p.eventType}/${p.channel}`, p.enabled]))
    return {
      customer_id: customerId,
      preferences: KINDS.flatMap((eventType) =>
        CHANNELS.map((channel) => ({
          event_type: eventType,
          channel,
          enabled: chosen.get(`${eventType}/${channel}`) ?? DEFAULT_ON[channel],
        })),
      ),
    }
  }

  return {
    async ListNotifications(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      const page = req.page?.page ?? 0
      const size = req.page?.size || DEFAULT_PAGE_SIZE
      if (!Number.isInteger(page) || page < 0) c.add('page.page', 'must be 0 or more')
      if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) c.add('page.size', `must be 1 to ${MAX_PAGE_SIZE}`)
      c.done()
      const { content, total } = await store.listNotifications(db, customerId, page, size)
      return {
        content: content.map((n) => ({
          id: n.id,
          customer_id: n.customerId,
          event_id: n.eventId,
          event_type: n.eventType,
          title: n.title,
          body: n.body,
          created_at: iso(n.createdAt),
          deliveries: n.deliveries.map((d) => ({
            channel: d.channel,
            status: d.status,
            attempts: d.attempts,
            last_error: d.lastError ?? '',
            sent_at: iso(d.sentAt),
            created_at: iso(d.createdAt),
            updated_at: iso(d.updatedAt),
            next_attempt_at: d.status === 'PENDING' ? iso(d.nextAttemptAt) : '',
          })),
        })),
        page: { page, size, total_elements: total },
      }
    },

    async GetPreferences(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      c.done()
      return preferencesOut(customerId)
    },

    async SetPreferences(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      if (!req.preferences.length) c.add('preferences', 'must list at least one preference')
      const seen = new Set<string>()
      const prefs = req.preferences.map((p, i) => {
        if (!(KINDS as readonly string[]).includes(p.event_type))
          c.add(`preferences[${i}].event_type`, `must be one of ${KINDS.join(', ')}`)
        if (!(CHANNELS as readonly string[]).includes(p.channel))
          c.add(`preferences[${i}].channel`, `must be one of ${CHANNELS.join(', ')}`)
        const key = `${p.event_type}/${p.channel}`
        if (seen.has(key)) c.add(`preferences[${i}]`, `${key} is listed twice`)
        seen.add(key)
        return { eventType: p.event_type, channel: p.channel as Channel, enabled: p.enabled }
      })
      c.done()
      await store.setPreferences(db, customerId, prefs, now())
      return preferencesOut(customerId)
    },

    async GetContact(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      c.done()
      return contactOut(await store.contact(db, customerId))
    },

    async SetContact(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      if (req.set_phone && req.phone !== '' && !PHONE.test(req.phone)) c.add('phone', 'must be an E.164 number such as +905551234567')
      if (req.locale !== '' && !(LOCALES as readonly string[]).includes(req.locale)) c.add('locale', `must be one of ${LOCALES.join(', ')}`)
      if (!req.set_phone && req.locale === '') c.add('phone', 'nothing to change: give a phone or a locale')
      c.done()
      await store.setContact(
        db,
        customerId,
        { phone: req.set_phone ? req.phone || null : undefined, locale: (req.locale || undefined) as Locale | undefined },
        now(),
      )
      return contactOut(await store.contact(db, customerId))
    },

    async AddPushSubscription(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      let url: URL | undefined
      try {
        url = new URL(req.endpoint)
      } catch {}
      const schemes = deps.allowHttpPush ? ['https:', 'http:'] : ['https:']
      if (!url || !schemes.includes(url.protocol) || req.endpoint.length > 2000)
        c.add('endpoint', 'must be an https URL of at most 2000 characters')
      else if (!deps.allowPrivatePush) {
        const problem = literalHostProblem(url)
        if (problem) c.add('endpoint', `${problem}: a push service's URL`)
      }
      if (base64urlBytes(req.p256dh) !== 65) c.add('p256dh', 'must be the base64url of a 65-byte P-256 public key')
      if (base64urlBytes(req.auth) !== 16) c.add('auth', 'must be the base64url of a 16-byte secret')
      c.done()
      const s = await store.addPushSubscription(db, {
        id: randomUUID(),
        customerId,
        endpoint: req.endpoint,
        p256dh: req.p256dh,
        auth: req.auth,
        createdAt: now(),
      })
      return subscriptionOut(s)
    },

    async RemovePushSubscription(req) {
      const c = checker()
      const customerId = c.customerId(req.customer_id)
      if (!isUuid(req.id)) c.add('id', 'must be a UUID')
      c.done()
      if (!(await store.removePushSubscription(db, customerId, req.id))) throw new AppError('NOT_FOUND', 'push subscription not found')
      return {}
    },
  }
}
