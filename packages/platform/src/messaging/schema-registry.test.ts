import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createCodec, MalformedEventError, newEnvelope, topicOf, UnknownSchemaError } from '@brokerage/contracts'
import { SAMPLE_DATA } from '@brokerage/contracts/testing'
import { createConfluentRegistry, subjectOf } from './schema-registry.js'
import { serviceConfigFromEnv } from '../service-config.js'
import { createServiceRuntime } from '../service.js'
import { createTestDatabase, eventually, startSchemaRegistryStandIn as startRegistry } from '../testing.js'

const order = () => newEnvelope('OrderCreated', SAMPLE_DATA.OrderCreated, { correlationId: 'req-1' })

test('when events are encoded through the registry, then the schema is registered once under its record subject and the frame carries its id', async (t) => {
  const registry = await startRegistry(t)
  const codec = createCodec(createConfluentRegistry({ url: registry.url }))
  const first = await codec.encode(order())
  const second = await codec.encode(order())
  assert.equal(first[0], 0)
  assert.equal(first.readUInt32BE(1), 100)
  assert.equal(second.readUInt32BE(1), 100)
  assert.deepEqual(registry.requests, [`POST /subjects/${encodeURIComponent(subjectOf('OrderCreated'))}/versions`])
  assert.equal(subjectOf('OrderCreated'), 'brokerage.events.OrderCreatedEnvelope')
})

test('when another process decodes the frames, then it resolves the id once from the registry and reads the event back equal', async (t) => {
  const registry = await startRegistry(t)
  const envelope = order()
  const frame = await createCodec(createConfluentRegistry({ url: registry.url })).encode(envelope)
  const consumer = createCodec(createConfluentRegistry({ url: `${registry.url}/` }))
  assert.deepStrictEqual(await consumer.decode(frame), envelope)
  assert.deepStrictEqual(await consumer.decode(frame), envelope)
  assert.deepEqual(registry.requests.slice(1), ['GET /schemas/ids/100'])
})

test('when the registry does not know the id, then the frame is refused as malformed', async (t) => {
  const registry = await startRegistry(t)
  const frame = await createCodec(createConfluentRegistry({ url: registry.url })).encode(order())
  frame.writeUInt32BE(4242, 1)
  await assert.rejects(createConfluentRegistry({ url: registry.url }).typeFor(4242), UnknownSchemaError)
  await assert.rejects(createCodec(createConfluentRegistry({ url: registry.url })).decode(frame), MalformedEventError)
})

test('when the registry fails, then the error is transient (not malformed) and the next call asks again', async (t) => {
  const registry = await startRegistry(t)
  const client = createConfluentRegistry({ url: registry.url })
  registry.failNext(1)
  await assert.rejects(client.idFor('OrderCreated', 1), (err: unknown) => !(err instanceof UnknownSchemaError) && /500/.test(String(err)))
  assert.equal(await client.idFor('OrderCreated', 1), 100)
  assert.equal(registry.requests.length, 2)
})

test('when the registry URL carries a user and password, then they are sent as Basic auth, not in the URL', async (t) => {
  const registry = await startRegistry(t)
  const withUser = registry.url.replace('http://', 'http://desk%40bank:s%3Acret@')
  assert.equal(await createConfluentRegistry({ url: withUser }).idFor('OrderCreated', 1), 100)
  assert.deepEqual(registry.authorizations, [`Basic ${Buffer.from('desk@bank:s:cret').toString('base64')}`])
})

test('when a service is started with SCHEMA_REGISTRY_URL, then the events its outbox publishes carry the registry ids, registered there', async (t) => {
  const registry = await startRegistry(t)
  const databaseUrl = await createTestDatabase(t, 'registry')
  const config = serviceConfigFromEnv({
    DATABASE_URL: databaseUrl,
    BUS: 'memory',
    SCHEMA_REGISTRY_URL: registry.url,
    LOG_LEVEL: 'silent',
    // A runtime without a gRPC server: nothing to secure.
    GRPC_TLS: 'off',
  })
  const runtime = await createServiceRuntime({ name: 'registry-test', config })
  t.after(() => runtime.stop())
  const event = order()
  await runtime.db.tx((tx) => runtime.outbox.add(tx, event))
  const topic = topicOf('OrderCreated')
  const published = await eventually(
    async () => {
      const all = await Promise.all(
        Array.from({ length: await runtime.bus.partitionsOf(topic) }, (_, p) => runtime.bus.read(topic, p, 0, 10)),
      )
      return all.flat()[0]
    },
    { what: 'the relay to publish the event' },
  )
  assert.equal(published.value[0], 0)
  assert.equal(published.value.readUInt32BE(1), 100)
  assert.deepEqual(registry.requests, [`POST /subjects/${encodeURIComponent(subjectOf('OrderCreated'))}/versions`])
  assert.deepStrictEqual(await runtime.codec.decode(published.value), event)
})
