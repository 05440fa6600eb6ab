import { Counter } from 'prom-client'
import type { ServiceRuntime } from '@brokerage/platform'
import type { Access } from '../access.js'
import type { RateLimiter } from '../rate-limit.js'
import type { TokenVerifier } from '../tokens.js'
import { createLiveFeedReader } from './feed.js'
import { createHub } from './hub.js'
import { liveRoutes } from './routes.js'

export interface LiveOptions {
  /** Unsent bytes a socket may hold before it is closed as a slow consumer (1013). */
  maxBufferedBytes: number
  /** Ping interval; a socket that has not answered the previous ping by the next is cut. */
  heartbeatMs: number
  closeGraceMs: number
  maxClientMessageBytes: number
  /** How long the bus consumer keeps reading after the last socket closed (a reconnect within it reuses it). */
  feedLingerMs: number
}

export const LIVE_DEFAULTS: LiveOptions = {
  maxBufferedBytes: 1024 * 1024,
  heartbeatMs: 30_000,
  closeGraceMs: 5_000,
  maxClientMessageBytes: 4096,
  feedLingerMs: 30_000,
}

/**
 * The live feed at /api/v1/ws (alias /api/ws): the socket hub, its bus consumer (started by the
 * first socket, before its upgrade is answered; stopped a linger after the last one closed),
 * heartbeats and metrics. Returns the plugin to register under /api.
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

  const feed = createLiveFeedReader({
    bus: runtime.bus,
    // The runtime's codec: with SCHEMA_REGISTRY_URL the services' frames carry that registry's ids.
    codec: runtime.codec,
    hub,
    log: runtime.log,
    lingerMs: options.feedLingerMs,
  })
  runtime.onStop(() => feed.stop())
  // No consumer while no socket is open: then there is no lag to show, and nothing is down.
  runtime.metrics.registerConsumerLag(async () => {
    const groupId = feed.groupId()
    if (!groupId) return []
    return (await runtime.bus.lag(groupId, feed.topics)).map((p) => ({
      labels: { group: groupId, topic: p.topic, partition: p.partition },
      value: p.lag,
    }))
  })

  const heartbeat = setInterval(() => hub.heartbeat(), options.heartbeatMs)
  heartbeat.unref()
  runtime.onStop(() => clearInterval(heartbeat))

  return {
    hub,
    feed,
    plugin: liveRoutes({
      hub,
      feed,
      verify: deps.verify,
      access: deps.access,
      limiter: deps.limiter,
      maxClientMessageBytes: options.maxClientMessageBytes,
    }),
  }
}
