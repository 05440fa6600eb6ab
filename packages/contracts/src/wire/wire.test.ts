import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseSchema } from '../avro/parse.js'
import { readPublished, snapshotFileName } from '../compat/published.js'
import { MalformedEventError, SchemaValidationError, UnknownSchemaError } from '../errors.js'
import { EVENT_TYPES, versionOf } from '../events/catalogue.js'
import { currentSchemaOf } from '../events/envelope-schema.js'
import { newEnvelope, type AnyEnvelope } from '../events/envelope.js'
import { REGISTRY_IDS } from '../registry-ids.js'
import { SAMPLE_DATA } from '../testing.js'
import { createCodec } from './codec.js'
import { createLocalRegistry, registryIdProblems, type SchemaRegistry } from './registry.js'

const codec = createCodec(createLocalRegistry())
const sample = (): AnyEnvelope => newEnvelope('OrderCreated', SAMPLE_DATA.OrderCreated, { correlationId: 'req-1' })

function frame(id: number, body: Buffer): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt32BE(id, 1)
  return Buffer.concat([header, body])
}

async function rejectsMalformed(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof MalformedEventError, String(error))
    assert.equal(error.code, 'EVENT_MALFORMED')
    assert.match(error.message, pattern)
    return true
  })
}

describe('codec', () => {
  test('when a sample of every event is encoded and decoded, then it comes back equal, as plain objects', async () => {
    for (const type of EVENT_TYPES) {
      const envelope = newEnvelope(type, SAMPLE_DATA[type] as never, {
        causationId: '6f1c2f7e-9a4b-4d1e-8f3a-2b7c9d0e1a11',
        traceparent: '00-abc-def-01',
      })
      const decoded = await codec.decode(await codec.encode(envelope))
      assert.deepStrictEqual(decoded, envelope, type)
    }
  })

  test('when an event is encoded, then the frame is magic byte 0, its schema id big-endian, then Avro', async () => {
    const envelope = sample()
    const bytes = await codec.encode(envelope)
    assert.equal(bytes[0], 0)
    assert.equal(bytes.readUInt32BE(1), REGISTRY_IDS['OrderCreated@1'])
    const avro = parseSchema(currentSchemaOf('OrderCreated'))
    assert.deepEqual(JSON.parse(JSON.stringify(avro.fromBuffer(bytes.subarray(5)))), envelope)
  })

  test('when an invalid event is encoded, then SchemaValidationError names the field', async () => {
    const envelope = { ...sample(), data: { ...SAMPLE_DATA.OrderCreated, price: -0.5 } } as AnyEnvelope
    await assert.rejects(
      codec.encode(envelope),
      (error: unknown) => error instanceof SchemaValidationError && error.code === 'SCHEMA_INVALID' && /data\.price/.test(error.message),
    )
  })

  test('when the magic byte is wrong, then decode refuses it as malformed', async () => {
    const bytes = await codec.encode(sample())
    bytes[0] = 1
    await rejectsMalformed(codec.decode(bytes), /magic byte/)
  })

  test('when the schema id is unknown, then decode refuses it as malformed', async () => {
    const bytes = await codec.encode(sample())
    bytes.writeUInt32BE(999_999, 1)
    await rejectsMalformed(codec.decode(bytes), /unknown schema id 999999/)
  })

  test('when the frame is truncated, empty or has trailing bytes, then decode refuses it as malformed', async () => {
    const bytes = await codec.encode(sample())
    await rejectsMalformed(codec.decode(bytes.subarray(0, bytes.length - 3)), /truncated/)
    await rejectsMalformed(codec.decode(Buffer.concat([bytes, Buffer.from([0])])), /trailing/)
    await rejectsMalformed(codec.decode(Buffer.alloc(0)), /too short/)
    await rejectsMalformed(codec.decode(bytes.subarray(0, 5)), /too short/)
  })

  test('when the body is garbage, then decode refuses it as malformed', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const garbage = Buffer.from(Array.from({ length: 40 + seed }, (_, i) => (i * 97 + seed * 31) % 256))
      await rejectsMalformed(codec.decode(frame(REGISTRY_IDS['OrderCreated@1'] ?? 0, garbage)), /OrderCreated@1/)
    }
  })

  test('when the bytes parse but break the contract, then decode refuses them as malformed', async () => {
    const avro = parseSchema(currentSchemaOf('OrderCreated'))
    const wrongKey = avro.toBuffer({ ...sample(), key: 'someone-else' })
    await rejectsMalformed(codec.decode(frame(REGISTRY_IDS['OrderCreated@1'] ?? 0, wrongKey)), /key/)
    const wrongType = avro.toBuffer({ ...sample(), type: 'OrderCancelled' })
    await rejectsMalformed(codec.decode(frame(REGISTRY_IDS['OrderCreated@1'] ?? 0, wrongType)), /type: expected OrderCreated/)
  })

  test('when a long on the wire is beyond the safe range, then decode refuses it as malformed', async () => {
    const avro = parseSchema(currentSchemaOf('OrderCreated'))
    const envelope = sample()
    const one = avro.toBuffer({ ...envelope, data: { ...SAMPLE_DATA.OrderCreated, size: 1 } })
    const two = avro.toBuffer({ ...envelope, data: { ...SAMPLE_DATA.OrderCreated, size: 2 } })
    const at = one.findIndex((byte, i) => byte !== two[i])
    // Replace the one-byte size with a varint of 2^61 (zigzag for 2^60).
    const huge = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20])
    const patched = Buffer.concat([one.subarray(0, at), huge, one.subarray(at + 1)])
    await rejectsMalformed(codec.decode(frame(REGISTRY_IDS['OrderCreated@1'] ?? 0, patched)), /precision/)
  })

  test('when the registry fails for another reason, then decode passes that error on, not as malformed', async () => {
    const down: SchemaRegistry = {
      idFor: () => Promise.reject(new Error('registry unreachable')),
      typeFor: () => Promise.reject(new Error('registry unreachable')),
    }
    const bytes = await codec.encode(sample())
    await assert.rejects(
      createCodec(down).decode(bytes),
      (error: unknown) => !(error instanceof MalformedEventError) && /unreachable/.test(String(error)),
    )
  })

  test("when another version of an event arrives, then it is read into this build's shape and keeps its version", async () => {
    // A CustomerTierChanged@2 with one more field, from a producer deployed
    // before this consumer (the same resolution reads older versions).
    const dir = mkdtempSync(join(tmpdir(), 'contracts-'))
    const current = currentSchemaOf('CustomerTierChanged') as { fields: { name: string; type: { fields?: unknown[] } }[] }
    const old = structuredClone(current)
    const data = old.fields.find((field) => field.name === 'data')
    data?.type.fields?.push({ name: 'reason', type: 'string' })
    writeFileSync(join(dir, snapshotFileName('CustomerTierChanged', 2)), JSON.stringify(old))
    const registry = createLocalRegistry({ ids: { ...REGISTRY_IDS, 'CustomerTierChanged@2': 1000 }, publishedDir: dir })

    const envelope = newEnvelope('CustomerTierChanged', SAMPLE_DATA.CustomerTierChanged)
    const written = parseSchema(old).toBuffer({ ...envelope, version: 2, data: { ...envelope.data, reason: 'loyalty' } })
    const decoded = await createCodec(registry).decode(frame(1000, written))
    assert.deepStrictEqual(decoded, { ...envelope, version: 2 })
  })
})

describe('local registry', () => {
  test('when the committed id table is checked, then ids are unique positive int32 and labels well formed', () => {
    assert.deepEqual(registryIdProblems(REGISTRY_IDS), [])
  })

  test('when every current event version is looked up, then each has an id that maps back to it', async () => {
    const registry = createLocalRegistry()
    for (const type of EVENT_TYPES) {
      const id = await registry.idFor(type, versionOf(type))
      const registered = await registry.typeFor(id)
      assert.equal(registered.type, type)
      assert.equal(registered.version, versionOf(type))
    }
  })

  test('when an id names no known event version, then it is neither current nor published', () => {
    const published = new Set(readPublished().map((snapshot) => `${snapshot.type}@${snapshot.version}`))
    for (const label of Object.keys(REGISTRY_IDS)) {
      const [type = '', version] = label.split('@')
      const current = (EVENT_TYPES as readonly string[]).includes(type) && versionOf(type as never) === Number(version)
      assert.ok(current || published.has(label), `${label} is in registry-ids.ts but is no event version`)
    }
  })

  test('when an id is reused or unknown, then the registry says so', async () => {
    assert.deepEqual(registryIdProblems({ 'A@1': 1, 'B@1': 1, 'bad label': 0 }), [
      "id 1 is used by both 'A@1' and 'B@1'",
      "'bad label' is not of the form Type@version",
      "'bad label' has id 0, not a positive 32-bit integer",
    ])
    assert.throws(() => createLocalRegistry({ ids: { 'A@1': 1, 'B@1': 1 } }), /used by both/)
    await assert.rejects(createLocalRegistry().typeFor(424242), UnknownSchemaError)
    await assert.rejects(createLocalRegistry().idFor('OrderCreated', 99), UnknownSchemaError)
  })
})
