import { after } from 'node:test'
import { brokerContract, type ContractBus, type ContractFaults } from './broker-contract.js'
import { createMemoryBus, type MemoryBus } from '../src/messaging/memory.js'
import { createPgLogBus, type PgLogBus } from '../src/messaging/pglog.js'
import { createTestDatabase } from '../src/testing.js'
import { connectBus, type BusConfig } from '../src/messaging/connect.js'
import { createNatsBus } from '../src/messaging/nats.js'
import { requireNatsServer, startNatsServers, type NatsServers } from '../src/messaging/nats-server.js'

const memoryFaults: ContractFaults = {
  severMembers: (bus: ContractBus, groupId: string) => (bus as MemoryBus).severMembers(groupId),
}

brokerContract(
  'memory',
  async () => {
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
  },
  memoryFaults,
)

// A member's partition locks live on its control connection (application name `bus:<group>`):
// ending that connection frees them while the member's process runs on.
const pglogFaults: ContractFaults = {
  async severMembers(bus: ContractBus, groupId: string) {
    await (bus as PgLogBus).db.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
      `bus:${groupId}`,
    ])
  },
}

brokerContract(
  'pglog',
  async (t) => {
    const url = await createTestDatabase(t, 'bus')
    return () => createPgLogBus({ url })
  },
  pglogFaults,
)

// NATS JetStream: one real nats-server for the file (each test has its own topics and groups).
if (requireNatsServer('the broker contract on NATS', process.env.CI === 'true')) {
  let servers: Promise<NatsServers> | undefined
  after(async () => (await servers)?.stop())
  brokerContract('nats', async () => {
    servers ??= startNatsServers()
    const { url } = await servers
    return () => createNatsBus({ servers: url })
  })
}

// Any other adapter, chosen by the environment: CONTRACT_BUS=pglog with CONTRACT_BUS_URL (an
// external PostgreSQL).
if (process.env.CONTRACT_BUS) {
  const kind = process.env.CONTRACT_BUS as BusConfig['kind']
  brokerContract(
    `${kind} (from the environment)`,
    async () => () =>
      connectBus({ kind, url: process.env.CONTRACT_BUS_URL, natsUrl: process.env.NATS_URL, brokers: process.env.KAFKA_BROKERS }),
    kind === 'pglog' ? pglogFaults : {},
  )
}

// Kafka: wherever a broker is reachable (KAFKA_BROKERS); no broker can run on the CI machine, so there it is said, not passed.
if (process.env.KAFKA_BROKERS) brokerContract('kafka', async () => () => connectBus({ kind: 'kafka', brokers: process.env.KAFKA_BROKERS }))
else console.log('broker contract on kafka: NOT RUN (KAFKA_BROKERS is not set)')
