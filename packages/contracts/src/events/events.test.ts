import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SchemaValidationError } from '../errors.js'
import { SAMPLE_DATA } from '../testing.js'
import { EVENT_TYPES, EVENTS, eventsOn, isEventType, keyOf, topicOf, type EventType } from './catalogue.js'
import { avroTypeOf, currentSchemaOf } from './envelope-schema.js'
import { newEnvelope } from './envelope.js'
import { TOPIC_KEY, TOPICS } from './topics.js'
import { envelopeIssues, validateEnvelope } from './validate.js'

const at = new Date('2025-02-01T10:00:00.000Z')

function walk(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) node.forEach((inner) => walk(inner, visit))
  else if (node !== null && typeof node === 'object') {
    visit(node as Record<string, unknown>)
    Object.values(node).forEach((inner) => walk(inner, visit))
  }
}

describe('event catalogue', () => {
  test('when the catalogue is listed, then every event has a record named after it, a topic and a version', () => {
    assert.ok(EVENT_TYPES.length >= 20)
    for (const type of EVENT_TYPES) {
      const { schema, version, topic } = EVENTS[type]
      assert.equal(schema.name, type)
      assert.ok(Number.isInteger(version) && version >= 1, type)
      assert.ok(Object.values(TOPICS).includes(topic), type)
      assert.equal(isEventType(type), true)
    }
    assert.equal(isEventType('toString'), false)
  })

  test("when an event is on a topic, then its data has that topic's key field as a string", () => {
    for (const type of EVENT_TYPES) {
      const field = EVENTS[type].schema.fields.find((f) => f.name === TOPIC_KEY[topicOf(type)])
      assert.ok(field, `${type} lacks ${TOPIC_KEY[topicOf(type)]}`)
      const fieldType = typeof field.type === 'string' ? field.type : (field.type as { type?: unknown }).type
      assert.equal(fieldType, 'string', `${type}.${field.name} is not a string`)
    }
  })

  test('when the schemas are parsed, then they use only known logical types and every one parses', () => {
    for (const type of EVENT_TYPES) {
      walk(currentSchemaOf(type), (node) => {
        if ('logicalType' in node)
          assert.ok(['uuid', 'iso-datetime'].includes(String(node['logicalType'])), `${type}: ${String(node['logicalType'])}`)
      })
      assert.doesNotThrow(() => avroTypeOf(type))
    }
  })

  test('when events are grouped by topic, then every event is on exactly one topic', () => {
    const all = Object.values(TOPICS).flatMap((topic) => eventsOn(topic))
    assert.deepEqual([...all].sort(), [...EVENT_TYPES].sort())
    assert.ok(eventsOn(TOPICS.engine).includes('MatchRequested'))
    assert.ok(eventsOn(TOPICS.order).includes('OrderCreated'))
  })

  test('when the key of an event is asked, then it is the customerId or the assetName by topic', () => {
    assert.equal(keyOf('OrderCreated', SAMPLE_DATA.OrderCreated), SAMPLE_DATA.OrderCreated.customerId)
    assert.equal(keyOf('OrderConfirmed', SAMPLE_DATA.OrderConfirmed), 'AAPL')
    assert.equal(keyOf('OrderMatched', SAMPLE_DATA.OrderMatched), 'AAPL')
    assert.equal(keyOf('SettlementCompleted', SAMPLE_DATA.SettlementCompleted), SAMPLE_DATA.SettlementCompleted.customerId)
  })
})

describe('newEnvelope', () => {
  test('when every sample is wrapped, then each envelope is valid', () => {
    for (const type of EVENT_TYPES) {
      const envelope = newEnvelope(type, SAMPLE_DATA[type] as never, { now: at })
      assert.deepEqual(envelopeIssues(envelope).issues, [], type)
    }
  })

  test('when nothing but type and data is given, then it starts a new flow keyed by the data', () => {
    const envelope = newEnvelope('OrderCreated', SAMPLE_DATA.OrderCreated, { now: () => at })
    assert.equal(envelope.type, 'OrderCreated')
    assert.equal(envelope.version, 1)
    assert.equal(envelope.occurredAt, '2025-02-01T10:00:00.000Z')
    assert.equal(envelope.key, SAMPLE_DATA.OrderCreated.customerId)
    assert.equal(envelope.correlationId, envelope.id)
    assert.equal(envelope.causationId, null)
    assert.equal(envelope.traceparent, null)
    assert.deepEqual(envelope.data, SAMPLE_DATA.OrderCreated)
  })

  test('when caused by another event, then it continues that flow', () => {
    const created = newEnvelope('OrderCreated', SAMPLE_DATA.OrderCreated, { correlationId: 'req-42' })
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
    const reserved = newEnvelope('AssetReserved', SAMPLE_DATA.AssetReserved, { causedBy: created, traceparent })
    assert.equal(reserved.correlationId, 'req-42')
    assert.equal(reserved.causationId, created.id)
    assert.equal(reserved.traceparent, traceparent)
  })

  test("when a key other than the data's is passed, then it throws", () => {
    assert.throws(
      () => newEnvelope('OrderConfirmed', SAMPLE_DATA.OrderConfirmed, { key: SAMPLE_DATA.OrderConfirmed.customerId }),
      (error: unknown) =>
        error instanceof SchemaValidationError && /key: expected "AAPL": OrderConfirmed is keyed by its data/.test(error.message),
    )
    assert.doesNotThrow(() => newEnvelope('OrderConfirmed', SAMPLE_DATA.OrderConfirmed, { key: 'AAPL' }))
  })

  test('when the data is invalid, then it throws SchemaValidationError listing every bad field', () => {
    const data = { ...SAMPLE_DATA.OrderCreated, side: 'HOLD', size: 1.5, createdAt: 'now', extra: 1 } as never
    const error = catchError(() => newEnvelope('OrderCreated', data))
    assert.ok(error instanceof SchemaValidationError)
    assert.equal(error.code, 'SCHEMA_INVALID')
    assert.equal(error.eventType, 'OrderCreated')
    assert.deepEqual(
      error.issues.map((issue) => issue.path),
      ['data'],
    )
    assert.match(error.message, /data: has undeclared field\(s\) extra/)

    const withoutExtra = { ...SAMPLE_DATA.OrderCreated, side: 'HOLD', size: 1.5, createdAt: 'now', tier: undefined } as never
    const second = catchError(() => newEnvelope('OrderCreated', withoutExtra))
    assert.ok(second instanceof SchemaValidationError)
    assert.deepEqual(
      second.issues.map((issue) => issue.path),
      ['data.side', 'data.size', 'data.tier', 'data.createdAt'],
    )
    assert.match(second.message, /data\.side: expected one of BUY\|SELL, got "HOLD"/)
    assert.match(second.message, /data\.size: expected an integer within ±9007199254740990, got 1\.5/)
    assert.match(second.message, /data\.tier: is missing \(expected one of STANDARD\|PREMIUM\|VIP\)/)
    assert.match(second.message, /data\.createdAt: expected an ISO-8601 UTC time/)
  })
})

describe('validateEnvelope', () => {
  const valid = () => newEnvelope('CustomerCreated', SAMPLE_DATA.CustomerCreated)

  test('when the envelope fields are wrong, then each is reported by path', () => {
    const envelope = { ...valid(), id: 'x', version: 2, causationId: 'not-a-uuid', traceparent: 7, key: 'someone-else' }
    const { issues } = envelopeIssues(envelope)
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['id', 'causationId', 'traceparent', 'version'],
    )
    assert.equal(issues[1]?.message, 'expected null or a UUID, got "not-a-uuid"')
  })

  test('when only the key disagrees with the data, then the key is reported', () => {
    const { issues } = envelopeIssues({ ...valid(), key: 'someone-else' })
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['key'],
    )
  })

  test('when the type is unknown or the envelope is not an object, then that alone is reported', () => {
    assert.throws(
      () => validateEnvelope({ ...valid(), type: 'OrderExploded' }),
      (error: unknown) =>
        error instanceof SchemaValidationError && error.eventType === 'OrderExploded' && /type: unknown event type/.test(error.message),
    )
    assert.throws(() => validateEnvelope('nope'), SchemaValidationError)
  })

  test('when a nested array item is wrong, then its index is in the path', () => {
    const data = { ...SAMPLE_DATA.AssetTransferred, changes: [{ assetName: 'TRY', sizeDelta: 1, usableSizeDelta: '2' }] }
    const { issues } = envelopeIssues({ ...newEnvelope('AssetTransferred', SAMPLE_DATA.AssetTransferred), data })
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ['data.changes.0.usableSizeDelta'],
    )
  })

  test('when every event type has a sample, then none is missing', () => {
    assert.deepEqual(Object.keys(SAMPLE_DATA).sort(), [...EVENT_TYPES].sort() as EventType[])
  })
})

function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}
