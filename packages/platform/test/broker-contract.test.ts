import { brokerContract } from './broker-contract.js'
import { createMemoryBus } from '../src/messaging/memory.js'
import { createPgLogBus } from '../src/messaging/pglog.js'
import { createTestDatabase } from '../src/testing.js'

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
