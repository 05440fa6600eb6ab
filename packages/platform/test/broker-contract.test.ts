import { brokerContract } from './broker-contract.js'
import { createMemoryBus } from '../src/messaging/memory.js'
import { createPgLogBus } from '../src/messaging/pglog.js'
import { createTestDatabase } from '../src/testing.js'
import { connectBus, type BusConfig } from '../src/messaging/connect.js'

brokerContract('memory', async () => {
  const shared = createMemoryBus()
  // One in-memory broker: every "connection" is the same instance, closed once.
  let closed = false
  return async () => ({
    ...shared,
    close: async () => {
      if (!closed) {
        closed = true
        await shared.close()
      }
    },
  })
})

brokerContract('pglog', async (t) => {
  const url = await createTestDatabase(t, 'bus')
  return () => createPgLogBus({ url })
})

// Any other adapter, chosen by the environment: CONTRACT_BUS=pglog with CONTRACT_BUS_URL (an
// external PostgreSQL), or CONTRACT_BUS=kafka with KAFKA_BROKERS once that adapter exists.
if (process.env.CONTRACT_BUS) {
  const kind = process.env.CONTRACT_BUS as BusConfig['kind']
  brokerContract(
    `${kind} (from the environment)`,
    async () => () => connectBus({ kind, url: process.env.CONTRACT_BUS_URL, brokers: process.env.KAFKA_BROKERS }),
  )
}
