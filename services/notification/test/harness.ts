import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { newEnvelope, TOPICS, type AnyEnvelope, type EventData, type EventType } from '@brokerage/contracts'
import type { GrpcMethod, GrpcRequest } from '@brokerage/contracts/grpc'
import { createCollector, serviceUnderTest, teardown } from '@brokerage/platform/testing'
import { CONSUMER_GROUP, startNotificationService, TOPICS_READ, type NotificationServiceOptions } from '../src/app.js'
import { createTwilioProvider } from '../src/channels/sms.js'
import { startMailCatcher } from '../src/mail-catcher.js'

// One notification service per test, in-process, on fresh databases, with a real peer for
// every channel: an SMTP server (the mail catcher, built on smtp-server), a Twilio-shaped
// HTTP server that records each request and answers what the test tells it to, and the
// WebSocket channel's NotificationCreated read back from the bus.

export const actor = { subject: 'admin', role: 'ADMIN' as const, request_id: 'req-test' }

export interface RecordedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: Buffer
}

/** A local HTTP server recording every request; `answer` decides each reply (default 201). */
export async function recordingServer(t: TestContext) {
  const requests = createCollector<RecordedRequest>()
  let answer: (r: RecordedRequest, n: number) => { status: number; body?: string } = () => ({ status: 201, body: '{"sid":"SM1"}' })
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) }
      const a = answer(r, requests.items.length)
      requests.push(r)
      res.writeHead(a.status, { 'content-type': 'application/json' })
      res.end(a.body ?? '')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  teardown(t).after(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  )
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (fn: typeof answer) => (answer = fn),
  }
}

export interface HarnessOptions {
  smtpUrl?: string
  retry?: NotificationServiceOptions['delivery']['retry']
  timeoutMs?: number
  smtpMaxConnections?: number
  /** false: push endpoints on private addresses are refused, as in production. */
  pushAllowPrivate?: boolean
}

export async function startHarness(t: TestContext, o: HarnessOptions = {}) {
  const sut = await serviceUnderTest(t, { name: 'notification', outputs: [TOPICS.notification], group: CONSUMER_GROUP })
  const mail = await startMailCatcher()
  teardown(t).after(() => mail.stop())
  const sms = await recordingServer(t)
  const svc = await sut.start((config) =>
    startNotificationService({
      config,
      email: {
        smtpUrl: o.smtpUrl ?? mail.smtpUrl,
        from: 'Brokerage <no-reply@brokerage.test>',
        timeoutMs: o.timeoutMs ?? 5_000,
        maxConnections: o.smtpMaxConnections,
      },
      sms: {
        provider: () =>
          createTwilioProvider({
            baseUrl: sms.url,
            accountSid: 'AC123',
            authToken: 'secret',
            from: '+15005550006',
            timeoutMs: o.timeoutMs ?? 5_000,
          }),
      },
      push: {
        subject: 'mailto:ops@brokerage.test',
        generateKeys: true,
        allowHttp: true,
        // The tests' push services listen on 127.0.0.1.
        allowPrivate: o.pushAllowPrivate ?? true,
        timeoutMs: o.timeoutMs ?? 5_000,
      },
      signInUrl: 'https://brokerage.test/login',
      // Quick retries keep the tests short; the policy's shape is what is tested, not its pace.
      delivery: { retry: o.retry ?? { attempts: 3, initialDelayMs: 20, maxDelayMs: 100 }, concurrency: 8, pollMs: 20 },
    }),
  )
  const client = sut.client(svc, 'notification')
  const call = <M extends GrpcMethod<'notification'>>(method: M, request: GrpcRequest<'notification', M>) => client.call(method, request)

  /** A customer the service knows (CustomerCreated delivered), with a unique email. */
  async function customer(name = 'Ada Lovelace') {
    const customerId = randomUUID()
    const email = `ada-${customerId}@example.com`
    const created = newEnvelope('CustomerCreated', {
      customerId,
      name,
      email,
      tier: 'STANDARD',
      status: 'ACTIVE',
      brokerId: null,
      createdAt: new Date().toISOString(),
    })
    await sut.deliver(created)
    return { customerId, email, created }
  }

  async function deliveries(customerId: string) {
    const { rows } = await sut.db.query(
      `SELECT n.event_type, n.event_id, d.channel, d.status, d.attempts, d.last_error, d.subject, d.body
       FROM notifications n JOIN deliveries d ON d.notification_id = n.id WHERE n.customer_id = $1 ORDER BY n.created_at, d.channel`,
      [customerId],
    )
    return rows
  }

  return {
    db: sut.db,
    deliver: sut.deliver,
    emitted: sut.emitted,
    next: sut.next,
    svc,
    mail,
    sms,
    call,
    customer,
    deliveries,
    /** Publishes an event as its owner would and waits until the service consumed it. */
    async event<T extends EventType>(type: T, data: EventData<T>): Promise<AnyEnvelope> {
      const e = newEnvelope(type, data) as AnyEnvelope
      await sut.deliver(e)
      return e
    },
    consumed: () => sut.settled(TOPICS_READ),
  }
}

export type Harness = ReturnType<typeof startHarness> extends Promise<infer H> ? H : never
