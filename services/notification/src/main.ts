import { readConfig, runService, serviceConfigFromEnv } from '@brokerage/platform'
import { startNotificationService } from './app.js'
import { createLogSmsProvider, createTwilioProvider } from './channels/sms.js'

await runService('notification', async () => {
  const env = readConfig(process.env, {
    NODE_ENV: { type: 'string', default: 'development' },
    // Unset: an embedded development mail catcher (MAIL_CATCHER_*_PORT, 0 = any free port).
    SMTP_URL: { type: 'url' },
    SMTP_MAX_CONNECTIONS: { type: 'int', min: 1, max: 100, default: 5 },
    MAIL_FROM: { type: 'string', default: 'Brokerage <no-reply@brokerage.local>' },
    MAIL_CATCHER_SMTP_PORT: { type: 'int', min: 0, max: 65535, default: 0 },
    MAIL_CATCHER_HTTP_PORT: { type: 'int', min: 0, max: 65535, default: 0 },
    SMS_PROVIDER: { type: 'enum', values: ['log', 'twilio'], default: 'log' },
    SMS_API_URL: { type: 'url', default: 'https://api.twilio.com' },
    SMS_ACCOUNT_SID: { type: 'string' },
    SMS_AUTH_TOKEN: { type: 'string' },
    SMS_FROM: { type: 'string' },
    VAPID_PUBLIC_KEY: { type: 'string' },
    VAPID_PRIVATE_KEY: { type: 'string' },
    VAPID_SUBJECT: { type: 'string', default: 'mailto:ops@brokerage.local' },
    PUSH_ALLOW_HTTP: { type: 'bool', default: false },
    PUSH_ALLOW_PRIVATE_HOSTS: { type: 'bool', default: false },
    SIGN_IN_URL: { type: 'url', default: 'http://127.0.0.1:8080/api/auth/login' },
    CHANNEL_TIMEOUT_MS: { type: 'int', min: 100, max: 120_000, default: 10_000 },
    DELIVERY_ATTEMPTS: { type: 'int', min: 1, max: 100, default: 8 },
    DELIVERY_RETRY_INITIAL_MS: { type: 'int', min: 1, max: 3_600_000, default: 1_000 },
    DELIVERY_RETRY_MAX_MS: { type: 'int', min: 1, max: 86_400_000, default: 300_000 },
    DELIVERY_CONCURRENCY: { type: 'int', min: 1, max: 1000, default: 16 },
    DELIVERY_POLL_MS: { type: 'int', min: 10, max: 600_000, default: 500 },
  })
  const production = env.NODE_ENV === 'production'
  if (production && !env.SMTP_URL) throw new Error('SMTP_URL is required in production')
  if (env.SMS_PROVIDER === 'twilio' && !(env.SMS_ACCOUNT_SID && env.SMS_AUTH_TOKEN && env.SMS_FROM))
    throw new Error('SMS_PROVIDER=twilio needs SMS_ACCOUNT_SID, SMS_AUTH_TOKEN and SMS_FROM')
  const timeoutMs = env.CHANNEL_TIMEOUT_MS
  return startNotificationService({
    config: serviceConfigFromEnv(process.env),
    email: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      timeoutMs,
      maxConnections: env.SMTP_MAX_CONNECTIONS,
      catcher: { smtpPort: env.MAIL_CATCHER_SMTP_PORT, httpPort: env.MAIL_CATCHER_HTTP_PORT },
    },
    sms: {
      provider: (log) =>
        env.SMS_PROVIDER === 'twilio'
          ? createTwilioProvider({
              baseUrl: env.SMS_API_URL,
              accountSid: env.SMS_ACCOUNT_SID!,
              authToken: env.SMS_AUTH_TOKEN!,
              from: env.SMS_FROM!,
              timeoutMs,
            })
          : createLogSmsProvider(log),
    },
    push: {
      publicKey: env.VAPID_PUBLIC_KEY,
      privateKey: env.VAPID_PRIVATE_KEY,
      subject: env.VAPID_SUBJECT,
      generateKeys: !production,
      allowHttp: env.PUSH_ALLOW_HTTP && !production,
      allowPrivate: env.PUSH_ALLOW_PRIVATE_HOSTS && !production,
      timeoutMs,
    },
    signInUrl: env.SIGN_IN_URL,
    delivery: {
      retry: { attempts: env.DELIVERY_ATTEMPTS, initialDelayMs: env.DELIVERY_RETRY_INITIAL_MS, maxDelayMs: env.DELIVERY_RETRY_MAX_MS },
      concurrency: env.DELIVERY_CONCURRENCY,
      pollMs: env.DELIVERY_POLL_MS,
    },
  })
})
