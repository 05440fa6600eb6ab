import { test } from 'node:test'
import assert from 'node:assert/strict'
import { connect } from '@nats-io/transport-node'
import { jetstreamManager } from '@nats-io/jetstream'
import { teardown } from '../testing.js'
import { requireNatsServer, startNatsServers } from './nats-server.js'

if (requireNatsServer('the nats-server launcher tests', process.env.CI === 'true'))
  test(
    'when a restarted node reports tens of KB of restored streams before it is ready, then start() still resolves once it is ready',
    { timeout: 180_000 },
    async (t) => {
      let printed = 0
      const servers = await startNatsServers({ log: (_node, text) => void (printed += text.length) })
      teardown(t).after(() => servers.stop())
      // As many streams as the whole platform has on a cluster (a stream per topic partition).
      const nc = await connect({ servers: servers.url })
      try {
        const jsm = await jetstreamManager(nc)
        for (let i = 0; i < 200; i++) await jsm.streams.add({ name: `restore_${i}`, subjects: [`restore.${i}`] })
      } finally {
        await nc.close()
      }
      const [node] = servers.nodes
      await node!.kill()
      printed = 0
      await node!.start()
      assert.ok(printed > 20_000, `the restart printed ${printed} characters before it was ready`)
      assert.ok(node!.running)
    },
  )
