import { Counter } from 'prom-client'
import { createEventCodec, type ServiceRuntime } from '@brokerage/platform'
import type { Access } from '../access.js'
import type { RateLimiter } from '../rate-limit.js'
import type { TokenVerifier } from '../tokens.js'
import { startLiveFeed } from './feed.js'
import { createHub } from './hub.js'
import { liveRoutes } from './routes.js'

export interface LiveOptions {
  /** Unsent bytes a socket may hold before it is closed as a slow consumer (1013). */
  maxBufferedBytes: number
  /** Ping interval; a socket that has not answered the previous ping by the next is cut. */
  heartbeatMs: number
  closeGraceMs: number
  maxClientMessageBytes: number
}

export const LIVE_DEFAULTS: LiveOptions = {
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  closeGraceMs: 5_000,
  maxClientMessageBytes: 4096,
}

/**
 * The live feed at /api/v1/ws (alias /api/ws): the socket hub, its bus consumer (started here, so the gateway
 * serves only once it is reading), heartbeats and metrics. Returns the plugin to register
 * under /api.
 */
export async function createLiveFeed(
  runtime: ServiceRuntime,
  deps: { verify: TokenVerifier; access: Access; limiter: RateLimiter; options?: Partial<LiveOptions> },
) {
  const options = { ...LIVE_DEFAULTS, ...deps.options }
  const registers = [runtime.metrics.registry]
  const sent = new Counter({ name: 'live_messages_sent_total', help: 'Messages sent on live feed sockets', registers })
  const slow = new Counter({
    name: 'live_slow_consumers_closed_total',
    help: 'Live feed sockets closed (1013) because their send buffer passed the limit',
    registers,
  })
  const hub = createHub({
    maxBufferedBytes: options.maxBufferedBytes,
    closeGraceMs: options.closeGraceMs,
    counters: { sent: (n) => sent.inc(n), slowConsumerClosed: () => slow.inc() },
  })
  runtime.metrics.registerGaugeSource('live_sockets_open', 'Open live feed sockets', [], async () => [
    { labels: {}, value: hub.connections.size },
  ])

  const feed = await startLiveFeed({ bus: runtime.bus, codec: createEventCodec(), hub, log: runtime.log })
  runtime.onStop(() => feed.stop())
  runtime.metrics.registerConsumerLag(async () =>
    (await runtime.bus.lag(feed.groupId, feed.topics)).map((p) => ({
      labels: { group: feed.groupId, topic: p.topic, partition: p.partition },
      value: p.lag,
    })),
  )

  const heartbeat = setInterval(() => hub.heartbeat(), options.heartbeatMs)
  heartbeat.unref()
  runtime.onStop(() => clearInterval(heartbeat))

  return {
    hub,
    groupId: feed.groupId,
    plugin: liveRoutes({
      hub,
      verify: deps.verify,
      access: deps.access,
      limiter: deps.limiter,
      maxClientMessageBytes: options.maxClientMessageBytes,
    }),
  }
}
