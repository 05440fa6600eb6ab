import { randomUUID } from 'node:crypto'
import type { AnyEnvelope } from '@brokerage/contracts'
import type { EventCodec, Logger, MessageBus } from '@brokerage/platform'
import type { Hub } from './hub.js'
import { deliveriesOf, LIVE_TOPICS } from './messages.js'

/**
 * Reads the bus for the live feed. Every gateway instance must see every event (its sockets
 * are its own), so each one joins a consumer group of its own, named afresh at every start,
 * which begins at the end of each topic: a live feed shows what happens from now on, and a
 * restarted instance does not replay what it missed to sockets that are gone.
 *
 * No inbox: nothing is written, so a redelivered event is at worst sent twice (clients can
 * drop a repeated eventId). An undecodable record is logged and skipped; it has no DLQ here,
 * the services that own the topic dead-letter it.
 *
 * Nothing reads the group's offsets again, so a stopping instance deletes its group (a killed
 * one leaves them behind: one entry per partition of the topics it read).
 */
export async function startLiveFeed(opts: { bus: MessageBus; codec: EventCodec; hub: Hub; log: Logger }) {
  const { bus, codec, hub, log } = opts
  const groupId = `gateway-live-${randomUUID().slice(0, 8)}`
  for (const t of LIVE_TOPICS) await bus.ensureTopic(t)
  const consumer = await bus.consume({
    groupId,
    topics: [...LIVE_TOPICS],
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
  // Serve only once the group owns its partitions, so nothing after startup is missed.
  await consumer.ready()
  return {
    groupId,
    topics: [...LIVE_TOPICS],
    consumer,
    async stop() {
      await consumer.stop()
      await bus
        .deleteGroup(groupId)
        .catch((err: unknown) => log.warn({ err, groupId }, 'the live feed could not delete its consumer group'))
    },
  }
}
