import type { Queryable } from '@brokerage/platform'
import type { Kind, Locale } from './templates.js'

// Every statement of the service. Writes of a batch of events are set-based (unnest), so a
// run of events costs a constant number of statements.

export const CHANNELS = ['EMAIL', 'SMS', 'WEB_PUSH', 'WEBSOCKET'] as const
export type Channel = (typeof CHANNELS)[number]
export type DeliveryStatus = 'PENDING' | 'SENT' | 'FAILED'

export interface CustomerRow {
  customerId: string
  name: string
  email: string
  tier: string
  status: string
  updatedAt: Date
}

export interface Recipient {
  customerId: string
  locale: Locale
  name: string | null
}

export interface NewNotification {
  id: string
  customerId: string
  eventId: string
  eventType: Kind
  locale: Locale
  title: string
  body: string
  createdAt: Date
}

export interface NewDelivery {
  id: string
  notificationId: string
  channel: Channel
  /** WEB_PUSH: the one subscription it goes to (null: the customer had none). */
  subscriptionId: string | null
  status: DeliveryStatus
  subject: string
  body: string
  attempts: number
  sentAt: Date | null
  nextAttemptAt: Date | null
  createdAt: Date
}

/** A delivery a sender holds: what to send and to whom, as known now. */
export interface ClaimedDelivery {
  id: string
  channel: Channel
  attempts: number
  subject: string
  body: string
  createdAt: Date
  notificationId: string
  customerId: string
  eventType: string
  title: string
  email: string | null
  name: string | null
  phone: string | null
  /** WEB_PUSH: the subscription it was recorded for, and its keys if it still exists. */
  subscriptionId: string | null
  push: { endpoint: string; p256dh: string; auth: string } | null
}

export interface DeliveryRow {
  notificationId: string
  channel: Channel
  status: DeliveryStatus
  attempts: number
  lastError: string | null
  sentAt: Date | null
  nextAttemptAt: Date | null
  createdAt: Date
  updatedAt: Date
}

export interface NotificationRow extends NewNotification {
  deliveries: DeliveryRow[]
}

export interface Contact {
  customerId: string
  email: string | null
  phone: string | null
  locale: Locale
}

export interface PushSubscriptionRow {
  id: string
  customerId: string
  endpoint: string
  p256dh: string
  auth: string
  createdAt: Date
}

export type Outcome =
  | { id: string; kind: 'sent'; at: Date }
  | { id: string; kind: 'retry'; at: Date; error: string; nextAttemptAt: Date }
  | { id: string; kind: 'failed'; at: Date; error: string }

export function createStore() {
  return {
    async upsertCustomers(tx: Queryable, rows: CustomerRow[]) {
      if (!rows.length) return
      // Only a newer fact wins, so an old CustomerCreated replayed after a change keeps the change.
      await tx.query(
        `INSERT INTO customers (customer_id, name, email, tier, status, updated_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
         ON CONFLICT (customer_id) DO UPDATE SET name = excluded.name, email = excluded.email, tier = excluded.tier,
           status = excluded.status, updated_at = excluded.updated_at
         WHERE customers.updated_at <= excluded.updated_at`,
        [
          rows.map((r) => r.customerId),
          rows.map((r) => r.name),
          rows.map((r) => r.email),
          rows.map((r) => r.tier),
          rows.map((r) => r.status),
          rows.map((r) => r.updatedAt),
        ],
      )
    },

    async setCustomerField(tx: Queryable, field: 'tier' | 'status', customerId: string, value: string, at: Date) {
      await tx.query(`UPDATE customers SET ${field} = $2, updated_at = $3 WHERE customer_id = $1 AND updated_at <= $3`, [
        customerId,
        value,
        at,
      ])
    },

    async recipients(tx: Queryable, customerIds: string[]): Promise<Map<string, Recipient>> {
      const { rows } = await tx.query<{ customer_id: string; locale: Locale | null; name: string | null }>(
        `SELECT ids.customer_id, ct.locale, cu.name
         FROM unnest($1::uuid[]) AS ids(customer_id)
         LEFT JOIN contacts ct ON ct.customer_id = ids.customer_id
         LEFT JOIN customers cu ON cu.customer_id = ids.customer_id`,
        [customerIds],
      )
      return new Map(rows.map((r) => [r.customer_id, { customerId: r.customer_id, locale: r.locale ?? 'en', name: r.name }]))
    },

    async preferences(tx: Queryable, customerIds: string[]) {
      const { rows } = await tx.query<{ customer_id: string; event_type: string; channel: Channel; enabled: boolean }>(
        'SELECT customer_id, event_type, channel, enabled FROM preferences WHERE customer_id = ANY($1::uuid[])',
        [customerIds],
      )
      return rows.map((r) => ({ customerId: r.customer_id, eventType: r.event_type, channel: r.channel, enabled: r.enabled }))
    },

    async setPreferences(
      tx: Queryable,
      customerId: string,
      prefs: Array<{ eventType: string; channel: Channel; enabled: boolean }>,
      at: Date,
    ) {
      await tx.query(
        `INSERT INTO preferences (customer_id, event_type, channel, enabled, updated_at)
         SELECT $1, * , $5 FROM unnest($2::text[], $3::text[], $4::boolean[])
         ON CONFLICT (customer_id, event_type, channel) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
        [customerId, prefs.map((p) => p.eventType), prefs.map((p) => p.channel), prefs.map((p) => p.enabled), at],
      )
    },

    /** Inserts the notifications not recorded yet; returns the ids it inserted. */
    async insertNotifications(tx: Queryable, rows: NewNotification[]): Promise<Set<string>> {
      if (!rows.length) return new Set()
      const { rows: inserted } = await tx.query<{ id: string }>(
        `INSERT INTO notifications (id, customer_id, event_id, event_type, locale, title, body, created_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         ON CONFLICT (event_id, customer_id) DO NOTHING
         RETURNING id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.customerId),
          rows.map((r) => r.eventId),
          rows.map((r) => r.eventType),
          rows.map((r) => r.locale),
          rows.map((r) => r.title),
          rows.map((r) => r.body),
          rows.map((r) => r.createdAt),
        ],
      )
      return new Set(inserted.map((r) => r.id))
    },

    async insertDeliveries(tx: Queryable, rows: NewDelivery[]) {
      if (!rows.length) return
      await tx.query(
        `INSERT INTO deliveries (id, notification_id, channel, status, subject, body, attempts, sent_at, next_attempt_at, created_at,
           subscription_id, updated_at)
         SELECT d.*, d.created_at FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[],
           $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::uuid[])
           AS d(id, notification_id, channel, status, subject, body, attempts, sent_at, next_attempt_at, created_at, subscription_id)`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.notificationId),
          rows.map((r) => r.channel),
          rows.map((r) => r.status),
          rows.map((r) => r.subject),
          rows.map((r) => r.body),
          rows.map((r) => r.attempts),
          rows.map((r) => r.sentAt),
          rows.map((r) => r.nextAttemptAt),
          rows.map((r) => r.createdAt),
          rows.map((r) => r.subscriptionId),
        ],
      )
    },

    /**
     * Takes up to `limit` due deliveries of a channel, counting the attempt and moving their
     * next attempt a lease away: a sender that dies holding them gives them back after it.
     * SKIP LOCKED lets any number of senders claim at once without taking a row twice.
     */
    async claim(db: Queryable, channel: Channel, now: Date, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
      const { rows } = await db.query(
        `WITH due AS (
           SELECT id, subscription_id FROM deliveries
           WHERE channel = $1 AND status = 'PENDING' AND next_attempt_at <= $2
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
         )
         UPDATE deliveries d SET attempts = d.attempts + 1, next_attempt_at = $2::timestamptz + $4 * interval '1 millisecond', updated_at = $2
         FROM due LEFT JOIN push_subscriptions ps ON ps.id = due.subscription_id, notifications n
         LEFT JOIN customers cu ON cu.customer_id = n.customer_id
         LEFT JOIN contacts ct ON ct.customer_id = n.customer_id
         WHERE d.id = due.id AND n.id = d.notification_id
         RETURNING d.id, d.channel, d.attempts, d.subject, d.body, d.created_at, n.id AS notification_id, n.customer_id,
           n.event_type, n.title, cu.email, cu.name, ct.phone, d.subscription_id, ps.endpoint, ps.p256dh, ps.auth`,
        [channel, now, limit, leaseMs],
      )
      return rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        attempts: r.attempts,
        subject: r.subject,
        body: r.body,
        createdAt: r.created_at,
        notificationId: r.notification_id,
        customerId: r.customer_id,
        eventType: r.event_type,
        title: r.title,
        email: r.email,
        name: r.name,
        phone: r.phone,
        subscriptionId: r.subscription_id,
        push: r.endpoint === null ? null : { endpoint: r.endpoint, p256dh: r.p256dh, auth: r.auth },
      }))
    },

    async record(db: Queryable, o: Outcome) {
      if (o.kind === 'sent') {
        await db.query(
          `UPDATE deliveries SET status = 'SENT', sent_at = $2, next_attempt_at = NULL, last_error = NULL, updated_at = $2 WHERE id = $1`,
          [o.id, o.at],
        )
      } else if (o.kind === 'retry') {
        await db.query(`UPDATE deliveries SET last_error = $2, next_attempt_at = $3, updated_at = $4 WHERE id = $1`, [
          o.id,
          o.error,
          o.nextAttemptAt,
          o.at,
        ])
      } else {
        await db.query(`UPDATE deliveries SET status = 'FAILED', last_error = $2, next_attempt_at = NULL, updated_at = $3 WHERE id = $1`, [
          o.id,
          o.error,
          o.at,
        ])
      }
    },

    async pendingByChannel(db: Queryable) {
      const { rows } = await db.query<{ channel: Channel; n: number }>(
        `SELECT channel, count(*)::int AS n FROM deliveries WHERE status = 'PENDING' GROUP BY channel`,
      )
      return rows
    },

    async listNotifications(db: Queryable, customerId: string, page: number, size: number) {
      const [{ rows }, { rows: total }] = await Promise.all([
        db.query(
          `SELECT n.*, coalesce(json_agg(json_build_object(
             'channel', d.channel, 'status', d.status, 'attempts', d.attempts, 'lastError', d.last_error,
             'sentAt', d.sent_at, 'nextAttemptAt', d.next_attempt_at, 'createdAt', d.created_at, 'updatedAt', d.updated_at)
             ORDER BY d.channel) FILTER (WHERE d.id IS NOT NULL), '[]') AS deliveries
           FROM (SELECT * FROM notifications WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3) n
           LEFT JOIN deliveries d ON d.notification_id = n.id
           GROUP BY n.id, n.customer_id, n.event_id, n.event_type, n.locale, n.title, n.body, n.created_at
           ORDER BY n.created_at DESC, n.id DESC`,
          [customerId, size, page * size],
        ),
        db.query<{ n: number }>('SELECT count(*)::int AS n FROM notifications WHERE customer_id = $1', [customerId]),
      ])
      const date = (v: string | null) => (v === null ? null : new Date(v))
      const content: NotificationRow[] = rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        eventId: r.event_id,
        eventType: r.event_type,
        locale: r.locale,
        title: r.title,
        body: r.body,
        createdAt: r.created_at,
        deliveries: (r.deliveries as Array<Record<string, unknown>>).map((d) => ({
          notificationId: r.id,
          channel: d.channel as Channel,
          status: d.status as DeliveryStatus,
          attempts: d.attempts as number,
          lastError: (d.lastError as string | null) ?? null,
          sentAt: date(d.sentAt as string | null),
          nextAttemptAt: date(d.nextAttemptAt as string | null),
          createdAt: new Date(d.createdAt as string),
          updatedAt: new Date(d.updatedAt as string),
        })),
      }))
      return { content, total: total[0]?.n ?? 0 }
    },

    async contact(db: Queryable, customerId: string): Promise<Contact> {
      const { rows } = await db.query<{ email: string | null; phone: string | null; locale: Locale | null }>(
        `SELECT cu.email, ct.phone, ct.locale FROM (SELECT $1::uuid AS customer_id) ids
         LEFT JOIN customers cu ON cu.customer_id = ids.customer_id
         LEFT JOIN contacts ct ON ct.customer_id = ids.customer_id`,
        [customerId],
      )
      const r = rows[0]
      return { customerId, email: r?.email ?? null, phone: r?.phone ?? null, locale: r?.locale ?? 'en' }
    },

    async setContact(db: Queryable, customerId: string, change: { phone?: string | null; locale?: Locale }, at: Date) {
      await db.query(
        `INSERT INTO contacts (customer_id, phone, locale, updated_at) VALUES ($1, $3, coalesce($4, 'en'), $5)
         ON CONFLICT (customer_id) DO UPDATE SET
           phone = CASE WHEN $2 THEN excluded.phone ELSE contacts.phone END,
           locale = coalesce($4, contacts.locale),
           updated_at = excluded.updated_at`,
        [customerId, change.phone !== undefined, change.phone ?? null, change.locale ?? null, at],
      )
    },

    /** Each customer's push subscription ids, oldest first. */
    async pushSubscriptionIds(db: Queryable, customerIds: string[]): Promise<Map<string, string[]>> {
      const { rows } = await db.query<{ id: string; customer_id: string }>(
        'SELECT id, customer_id FROM push_subscriptions WHERE customer_id = ANY($1::uuid[]) ORDER BY created_at, id',
        [customerIds],
      )
      const out = new Map<string, string[]>()
      for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), r.id])
      return out
    },

    async pushSubscriptions(db: Queryable, customerId: string): Promise<PushSubscriptionRow[]> {
      const { rows } = await db.query(
        'SELECT id, customer_id, endpoint, p256dh, auth, created_at FROM push_subscriptions WHERE customer_id = $1 ORDER BY created_at, id',
        [customerId],
      )
      return rows.map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        endpoint: r.endpoint,
        p256dh: r.p256dh,
        auth: r.auth,
        createdAt: r.created_at,
      }))
    },

    /** Registers a subscription; the same endpoint again replaces its keys and keeps its id. */
    async addPushSubscription(db: Queryable, s: PushSubscriptionRow): Promise<PushSubscriptionRow> {
      const { rows } = await db.query(
        `INSERT INTO push_subscriptions (id, customer_id, endpoint, p256dh, auth, created_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (customer_id, endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth
         RETURNING id, created_at`,
        [s.id, s.customerId, s.endpoint, s.p256dh, s.auth, s.createdAt],
      )
      return { ...s, id: rows[0]!.id, createdAt: rows[0]!.created_at }
    },

    async removePushSubscription(db: Queryable, customerId: string, id: string): Promise<boolean> {
      const { rowCount } = await db.query('DELETE FROM push_subscriptions WHERE customer_id = $1 AND id = $2', [customerId, id])
      return (rowCount ?? 0) > 0
    },

    async setting(db: Queryable, name: string): Promise<string | undefined> {
      const { rows } = await db.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name])
      return rows[0]?.value
    },

    /** Keeps the first value written (two instances starting at once agree on one). */
    async initSetting(db: Queryable, name: string, value: string): Promise<string> {
      await db.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value])
      return (await this.setting(db, name))!
    },
  }
}

export type Store = ReturnType<typeof createStore>
