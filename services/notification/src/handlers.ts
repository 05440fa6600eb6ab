import { randomUUID } from 'node:crypto'
import { newEnvelope, type AnyEnvelope } from '@brokerage/contracts'
import { defineHandlers, type BatchContext, type Db, type Outbox } from '@brokerage/platform'
import { enabledChannels, messageOf } from './messages.js'
import type { Channel, NewDelivery, NewNotification, Store } from './store.js'
import type { Templates } from './templates.js'

// Events become notifications in the inbox's transaction: the notification, one delivery
// per enabled channel and (WEBSOCKET) the NotificationCreated event are committed with the
// inbox row or not at all. Nothing is sent here: the sender takes PENDING deliveries after
// commit, so a slow mail server never holds the event stream. A run of events costs a
// constant number of statements whatever its length.

export interface HandlerDeps {
  db: Db
  store: Store
  outbox: Outbox
  templates: Templates
  signInUrl: string
  now: () => Date
  /** Called after the commit with the channels that got new PENDING deliveries. */
  recorded: (channels: Set<Channel>) => void
}

export function createNotificationHandlers(deps: HandlerDeps) {
  const { db, store, outbox, templates, now } = deps

  async function notify(events: readonly AnyEnvelope[], tx: BatchContext['tx']) {
    const messages = events.flatMap((event) => {
      const m = messageOf(event, { signInUrl: deps.signInUrl })
      return m ? [{ event, ...m }] : []
    })
    if (!messages.length) return
    const customerIds = [...new Set(messages.map((m) => m.customerId))]
    const [recipients, prefs] = await Promise.all([store.recipients(tx, customerIds), store.preferences(tx, customerIds)])
    const overrides = new Map(prefs.map((p) => [`${p.customerId}/${p.eventType}/${p.channel}`, p.enabled]))
    const at = now()

    const notifications: NewNotification[] = []
    const planned: Array<{ notification: NewNotification; channels: Channel[]; sms: string; emailText: string }> = []
    for (const m of messages) {
      const recipient = recipients.get(m.customerId)
      const locale = recipient?.locale ?? 'en'
      const name = m.kind === 'CustomerCreated' ? String(m.vars.name) : (recipient?.name ?? undefined)
      const text = templates.render(m.kind, locale, m.vars, { name })
      const notification: NewNotification = {
        id: randomUUID(),
        customerId: m.customerId,
        eventId: m.event.id,
        eventType: m.kind,
        locale,
        title: text.title,
        body: text.body,
        createdAt: at,
      }
      const channels = enabledChannels(m.kind, (kind, channel) => overrides.get(`${m.customerId}/${kind}/${channel}`))
      notifications.push(notification)
      planned.push({ notification, channels, sms: text.sms, emailText: text.emailText })
    }
    const inserted = await store.insertNotifications(tx, notifications)
    const pushCustomers = [...new Set(planned.filter((p) => p.channels.includes('WEB_PUSH')).map((p) => p.notification.customerId))]
    const pushTo = pushCustomers.length ? await store.pushSubscriptionIds(tx, pushCustomers) : new Map<string, string[]>()

    const deliveries: NewDelivery[] = []
    const live = []
    const pending = new Set<Channel>()
    for (const p of planned.filter((x) => inserted.has(x.notification.id))) {
      const n = p.notification
      // Web push: one delivery per subscription, each retried alone (none: one that fails, saying so).
      const targets = p.channels.flatMap((channel): Array<{ channel: Channel; subscriptionId: string | null }> =>
        channel === 'WEB_PUSH'
          ? (pushTo.get(n.customerId) ?? [null]).map((subscriptionId) => ({ channel, subscriptionId }))
          : [{ channel, subscriptionId: null }],
      )
      for (const { channel, subscriptionId } of targets) {
        // WEBSOCKET is delivered by committing NotificationCreated: the gateways forward it.
        const sentNow = channel === 'WEBSOCKET'
        if (!sentNow) pending.add(channel)
        deliveries.push({
          id: randomUUID(),
          notificationId: n.id,
          channel,
          subscriptionId,
          status: sentNow ? 'SENT' : 'PENDING',
          subject: n.title,
          body: channel === 'SMS' ? p.sms : channel === 'EMAIL' ? p.emailText : n.body,
          attempts: sentNow ? 1 : 0,
          sentAt: sentNow ? at : null,
          nextAttemptAt: sentNow ? null : at,
          createdAt: at,
        })
        if (sentNow) {
          const event = messages.find((m) => m.event.id === n.eventId)!.event
          live.push(
            newEnvelope(
              'NotificationCreated',
              {
                notificationId: n.id,
                customerId: n.customerId,
                eventId: n.eventId,
                eventType: n.eventType,
                title: n.title,
                body: n.body,
                createdAt: at.toISOString(),
              },
              { causedBy: event, now: at },
            ),
          )
        }
      }
    }
    await store.insertDeliveries(tx, deliveries)
    await outbox.add(tx, ...live)
    if (pending.size) db.afterCommit(tx, () => deps.recorded(pending))
  }

  const record = { batch: (events: readonly AnyEnvelope[], { tx }: BatchContext) => notify(events, tx) }

  return defineHandlers({
    CustomerCreated: {
      batch: async (events, { tx }) => {
        await store.upsertCustomers(
          tx,
          events.map(({ data: d }) => ({
            customerId: d.customerId,
            name: d.name,
            email: d.email,
            tier: d.tier,
            status: d.status,
            updatedAt: new Date(d.createdAt),
          })),
        )
        await notify(events, tx)
      },
    },
    CustomerTierChanged: async (event, { tx }) => {
      await store.setCustomerField(tx, 'tier', event.data.customerId, event.data.tier, new Date(event.data.changedAt))
      await notify([event], tx)
    },
    CustomerStatusChanged: async (event, { tx }) => {
      await store.setCustomerField(tx, 'status', event.data.customerId, event.data.status, new Date(event.data.changedAt))
      await notify([event], tx)
    },
    DepositCompleted: record,
    DepositRejected: record,
    WithdrawalCompleted: record,
    WithdrawalRejected: record,
    OrderRejected: record,
    OrderCancelled: record,
    SettlementCompleted: record,
    OrderFailed: record,
  })
}
