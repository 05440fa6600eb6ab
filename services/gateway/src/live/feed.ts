import { randomUUID } from 'node:crypto'
import type { AnyEnvelope } from '@brokerage/contracts'
import type { EventCodec, Logger, MessageBus } from '@brokerage/platform'
import type { Hub } from './hub.js'
import { deliveriesOf, LIVE_TOPICS } from './messages.js'

export interface LiveFeedOptions {
  bus: MessageBus
  codec: EventCodec
  hub: Hub
  log: Logger
  /** How long the consumer keeps running after its last holder let go. */
  lingerMs: number
}

interface Running {
  groupId: string
  stop(): Promise<void>
}

/**
 * Reads the bus for the live feed, only while some socket needs it: most gateways serve the REST
 * API alone, and reading every record of every live topic for no one cost the gateway a share of its
 * CPU and the bus its fetches. A socket holds the feed (hold() before its upgrade is answered, the
 * returned release when it closes); the first holder starts the consumer and waits until it reads,
 * so everything after the socket opens reaches it; the consumer stops `lingerMs` after the last
 * holder let go, so sockets that reconnect do not restart it each time.
 *
 * Every gateway instance must see every event (its sockets are its own), so each start joins a
 * consumer group of its own, named afresh, which begins at the end of each topic: a live feed
 * shows what happens from now on. Nothing reads the group's offsets again, so a stop deletes the
 * group (a killed gateway leaves them behind, but only if a socket was open or lingering).
 *
 * No inbox: nothing is written, so a redelivered event is at worst sent twice (clients can drop a
 * repeated eventId). An undecodable record is logged and skipped; it has no DLQ here, the services
 * that own the topic dead-letter it.
 *
 * What the hub keeps of the stream (BrokerAssigned moving a broker's `*`) concerns open sockets
 * only: a subscription is checked against the customer service when it is made, after the
 * consumer reads, so a feed started afresh misses nothing a socket relies on.
 */
export function createLiveFeedReader(opts: LiveFeedOptions) {
  const { bus, codec, hub, log } = opts
  const topics = [...LIVE_TOPICS]
  let holders = 0
  // The consumer being started or running; undefined when none is (or it is stopping).
  let current: Promise<Running> | undefined
  let running: Running | undefined
  let stopping: Promise<void> | undefined
  let linger: NodeJS.Timeout | undefined
  let closed = false

  async function start(): Promise<Running> {
    // A stop still deleting the previous group finishes first: one group at a time.
    if (stopping) await stopping
    const groupId = `gateway-live-${randomUUID().slice(0, 8)}`
    for (const t of topics) await bus.ensureTopic(t)
    const consumer = await bus.consume({
      groupId,
      topics,
      startFrom: 'latest',
      handleBatch: async (batch) => {
        for (const m of batch.messages) {
          let e: AnyEnvelope
          try {
            e = (await codec.decode(m.value)) as AnyEnvelope
          } catch (err) {
            log.warn({ err, topic: m.topic, partition: m.partition, offset: m.offset }, 'live feed skipped an undecodable record')
            continue
          }
          if (e.type === 'BrokerAssigned') hub.brokerAssigned(e.data.customerId, e.data.brokerId)
          for (const d of deliveriesOf(e)) hub.dispatch(d.customerId, d.message)
        }
      },
    })
    const stop = async () => {
      await consumer.stop()
      await bus
        .deleteGroup(groupId)
        .catch((err: unknown) => log.warn({ err, groupId }, 'the live feed could not delete its consumer group'))
    }
    try {
      // Ready once the group owns its partitions: nothing after this is missed.
      await consumer.ready()
    } catch (err) {
      await stop().catch(() => {})
      throw err
    }
    log.info({ groupId }, 'live feed reading')
    return { groupId, stop }
  }

  function stopNow(): Promise<void> {
    const c = current
    current = undefined
    running = undefined
    if (!c) return stopping ?? Promise.resolve()
    const s: Promise<void> = c
      .then((r) => r.stop().then(() => log.info({ groupId: r.groupId }, 'live feed stopped: no socket open')))
      // A start that failed has nothing to stop; its holders were refused.
      .catch((err: unknown) => log.warn({ err }, 'stopping the live feed failed'))
      .finally(() => {
        if (stopping === s) stopping = undefined
      })
    stopping = s
    return s
  }

  function letGo(): void {
    holders--
    if (holders > 0 || closed) return
    clearTimeout(linger)
    linger = setTimeout(() => {
      linger = undefined
      if (holders === 0) void stopNow()
    }, opts.lingerMs)
    linger.unref()
  }

  return {
    topics,
    /** The running consumer's group, if one runs (for its consumer_lag). */
    groupId: (): string | undefined => running?.groupId,
    /**
     * Resolves once the feed reads (starting it if no consumer runs; concurrent first holders
     * share one start), with the function that lets go (idempotent). Rejects when it cannot start.
     */
    async hold(): Promise<() => void> {
      if (closed) throw new Error('the live feed is stopped')
      holders++
      clearTimeout(linger)
      linger = undefined
      if (!current) {
        const c = start()
        current = c
        c.then(
          (r) => {
            if (current === c) running = r
          },
          () => {
            if (current === c) current = undefined
          },
        )
      }
      try {
        await current
      } catch (err) {
        letGo()
        throw err
      }
      let held = true
      return () => {
        if (!held) return
        held = false
        letGo()
      }
    },
    async stop(): Promise<void> {
      closed = true
      clearTimeout(linger)
      await stopNow()
    },
  }
}

export type LiveFeedReader = ReturnType<typeof createLiveFeedReader>
