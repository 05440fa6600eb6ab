import { fileURLToPath } from 'node:url'
import { Counter, Histogram } from 'prom-client'
import { TOPICS } from '@brokerage/contracts'
import { createServiceRuntime, grpcService, type RetryPolicy, type ServiceConfig } from '@brokerage/platform'
import { createEmailSender } from './channels/email.js'
import type { ChannelSender } from './channels/port.js'
import { createSmsSender, type SmsProvider } from './channels/sms.js'
import { createWebPushSender, vapidKeys } from './channels/webpush.js'
import { createSender } from './delivery.js'
import { createNotificationGrpc } from './grpc.js'
import { createNotificationHandlers } from './handlers.js'
import type { MailCatcher } from './mail-catcher.js'
import { createStore, type Channel } from './store.js'
import { createTemplates } from './templates.js'

/** The consumer group reading every topic a customer hears about. */
export const CONSUMER_GROUP = 'notification'
export const TOPICS_READ = [TOPICS.customer, TOPICS.assetMovements, TOPICS.order, TOPICS.processor]

export interface NotificationServiceOptions {
  config: ServiceConfig
  email: {
    /** Omitted: mail goes to an embedded development mail catcher (its page is logged). */
    smtpUrl?: string
    from: string
    timeoutMs: number
    /** SMTP connections kept open and reused; default 5. */
    maxConnections?: number
    catcher?: { smtpPort: number; httpPort: number }
  }
  sms: { provider: (log: ServiceLog) => SmsProvider }
  push: {
    publicKey?: string
    privateKey?: string
    subject: string
    generateKeys: boolean
    allowHttp?: boolean
    /** Development and tests: push endpoints on this machine or a private network (refused otherwise). */
    allowPrivate?: boolean
    timeoutMs: number
  }
  /** Where the welcome mail tells the customer to sign in. */
  signInUrl: string
  delivery: { retry: RetryPolicy; concurrency: number; pollMs: number; leaseMs?: number }
  now?: () => Date
}

type ServiceLog = Awaited<ReturnType<typeof createServiceRuntime>>['log']

export async function startNotificationService(opts: NotificationServiceOptions) {
  const runtime = await createServiceRuntime({
    name: 'notification',
    config: opts.config,
    migrationsDir: fileURLToPath(new URL('../migrations/', import.meta.url)),
  })
  let catcher: MailCatcher | undefined
  try {
    const { db, outbox, log, metrics } = runtime
    const now = opts.now ?? (() => new Date())
    const store = createStore()
    const templates = createTemplates()

    let smtpUrl = opts.email.smtpUrl
    if (!smtpUrl) {
      // Development only (no SMTP_URL): a production process never loads the SMTP server module.
      const { startMailCatcher } = await import('./mail-catcher.js')
      catcher = await startMailCatcher({ smtpPort: opts.email.catcher?.smtpPort ?? 0, httpPort: opts.email.catcher?.httpPort ?? 0 })
      runtime.onStop(() => catcher!.stop())
      smtpUrl = catcher.smtpUrl
      log.info({ mailCatcher: catcher.webUrl, smtp: catcher.smtpUrl }, 'no SMTP_URL: mail goes to the development mail catcher')
    }
    const email = createEmailSender({
      smtpUrl,
      from: opts.email.from,
      timeoutMs: opts.email.timeoutMs,
      maxConnections: opts.email.maxConnections ?? 5,
    })
    runtime.onStop(() => email.close())
    const vapid = await vapidKeys(
      { db, store },
      { publicKey: opts.push.publicKey, privateKey: opts.push.privateKey, subject: opts.push.subject, generate: opts.push.generateKeys },
    )
    const channels: Partial<Record<Channel, ChannelSender>> = {
      EMAIL: email,
      SMS: createSmsSender(opts.sms.provider(log)),
      WEB_PUSH: createWebPushSender({ db, store, vapid, timeoutMs: opts.push.timeoutMs, allowPrivate: opts.push.allowPrivate }),
    }

    const outcomes = new Counter({
      name: 'notification_deliveries_total',
      help: 'Delivery attempts by channel and outcome (sent, retry, failed)',
      labelNames: ['channel', 'outcome'],
      registers: [metrics.registry],
    })
    const latency = new Histogram({
      name: 'notification_delivery_latency_seconds',
      help: 'From the notification being recorded to its delivery being sent, by channel',
      labelNames: ['channel'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [metrics.registry],
    })
    metrics.registerGaugeSource(
      'notification_queue_depth',
      'Deliveries waiting to be sent (first try or retry), by channel',
      ['channel'],
      async () => (await store.pendingByChannel(db)).map((r) => ({ labels: { channel: r.channel }, value: r.n })),
    )

    const sender = createSender({
      db,
      store,
      channels,
      retry: opts.delivery.retry,
      concurrency: opts.delivery.concurrency,
      pollMs: opts.delivery.pollMs,
      leaseMs: opts.delivery.leaseMs ?? Math.max(opts.email.timeoutMs, opts.push.timeoutMs) * 4 + 1000,
      log,
      now,
      onOutcome: (channel, outcome, d) => {
        outcomes.inc({ channel, outcome: outcome.kind })
        if (outcome.kind === 'sent') latency.observe({ channel }, (outcome.at.getTime() - d.createdAt.getTime()) / 1000)
      },
    })
    runtime.onStop(() => sender.stop())

    runtime.grpc.addService(
      grpcService('notification'),
      createNotificationGrpc({
        db,
        store,
        now,
        vapidPublicKey: vapid.publicKey,
        allowHttpPush: opts.push.allowHttp,
        allowPrivatePush: opts.push.allowPrivate,
      }),
    )
    const handlers = createNotificationHandlers({
      db,
      store,
      outbox,
      templates,
      signInUrl: opts.signInUrl,
      now,
      recorded: (c) => sender.wake(c),
    })
    await runtime.consume(CONSUMER_GROUP, TOPICS_READ, handlers)
    await runtime.listen()
    sender.start()
    return { runtime, sender, mailCatcher: catcher, vapidPublicKey: vapid.publicKey, stop: () => runtime.stop() }
  } catch (err) {
    await runtime.stop().catch(() => {})
    throw err
  }
}

export type NotificationService = Awaited<ReturnType<typeof startNotificationService>>
