import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { EventData } from '../events/catalogue.js'
import type { AnyEnvelope, Envelope } from '../events/envelope.js'
import type { InferAvro } from './infer.js'
import { isIsoDateTime, isUuid } from './logical-types.js'
import { normalizeSchema, parseSchema } from './parse.js'

// Compile-time checks: tsc fails this file if an inferred type drifts.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<_ extends true>(): void {}

const Colour = { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN'] } as const
const Sample = {
  type: 'record',
  name: 'Sample',
  fields: [
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'count', type: 'long' },
    { name: 'ratio', type: 'double' },
    { name: 'flag', type: 'boolean' },
    { name: 'note', type: ['null', 'string'] },
    { name: 'colour', type: Colour },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'scores', type: { type: 'map', values: 'int' } },
    { name: 'child', type: ['null', { type: 'record', name: 'Child', fields: [{ name: 'colour', type: Colour }] }] },
  ],
} as const

describe('InferAvro', () => {
  test('when a schema uses every supported construct, then its inferred type is exactly the avsc value', () => {
    expectType<
      Equal<
        InferAvro<typeof Sample>,
        {
          id: string
          count: number
          ratio: number
          flag: boolean
          note: string | null
          colour: 'RED' | 'GREEN'
          tags: string[]
          scores: { [key: string]: number }
          child: { colour: 'RED' | 'GREEN' } | null
        }
      >
    >()
    assert.ok(
      parseSchema(Sample).isValid({
        id: '6f1c2f7e-9a4b-4d1e-8f3a-2b7c9d0e1a11',
        count: 1,
        ratio: 0.5,
        flag: true,
        note: null,
        colour: 'RED',
        tags: ['a'],
        scores: { a: 1 },
        child: { colour: 'GREEN' },
      } satisfies InferAvro<typeof Sample>),
    )
  })

  test('when event data types are inferred, then enums, nullables and nested records are precise', () => {
    expectType<Equal<EventData<'OrderCreated'>['side'], 'BUY' | 'SELL'>>()
    expectType<Equal<EventData<'CustomerCreated'>['brokerId'], string | null>>()
    expectType<Equal<EventData<'OrderMatched'>['buy'], { orderId: string; customerId: string; limitPrice: number } | null>>()
    expectType<Equal<Envelope<'OrderCreated'>['type'], 'OrderCreated'>>()
    expectType<Equal<Envelope<'OrderCreated'>['causationId'], string | null>>()
    expectType<Equal<Extract<AnyEnvelope, { type: 'AssetReleased' }>['data'], EventData<'AssetReleased'>>>()
  })

  test('when a schema refers to a type by name instead of inlining it, then its data type is never', () => {
    expectType<Equal<InferAvro<{ type: 'record'; name: 'R'; fields: [{ name: 'c'; type: 'Colour' }] }>, never>>()
  })
})

describe('logical types', () => {
  test('when a value is a UUID, then isUuid accepts it in either case', () => {
    assert.equal(isUuid('6f1c2f7e-9a4b-4d1e-8f3a-2b7c9d0e1a11'), true)
    assert.equal(isUuid('6F1C2F7E-9A4B-4D1E-8F3A-2B7C9D0E1A11'), true)
    assert.equal(isUuid('6f1c2f7e9a4b4d1e8f3a2b7c9d0e1a11'), false)
    assert.equal(isUuid(42), false)
  })

  test('when a time is not ISO-8601 UTC, then isIsoDateTime refuses it', () => {
    assert.equal(isIsoDateTime('2025-01-31T09:30:00.000Z'), true)
    assert.equal(isIsoDateTime('2025-01-31T09:30:00Z'), true)
    assert.equal(isIsoDateTime('2025-01-31T09:30:00+03:00'), false)
    assert.equal(isIsoDateTime('2025-13-31T09:30:00.000Z'), false)
    assert.equal(isIsoDateTime('yesterday'), false)
  })

  test('when a uuid field holds something else, then avsc refuses to encode and to decode it', () => {
    const type = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'id', type: { type: 'string', logicalType: 'uuid' } }] })
    assert.equal(type.isValid({ id: 'nope' }), false)
    assert.throws(() => type.toBuffer({ id: 'nope' }))
    const plain = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'id', type: 'string' }] })
    assert.throws(() => type.fromBuffer(plain.toBuffer({ id: 'nope' })), /invalid logical:uuid/)
  })

  test('when a plain string field gains a logical type, then old data still resolves', () => {
    const before = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'at', type: 'string' }] })
    const after = parseSchema({
      type: 'record',
      name: 'R',
      fields: [{ name: 'at', type: { type: 'string', logicalType: 'iso-datetime' } }],
    })
    const value = after.fromBuffer(before.toBuffer({ at: '2025-01-31T09:30:00.000Z' }), after.createResolver(before))
    assert.equal(value.at, '2025-01-31T09:30:00.000Z')
  })

  test('when a uuid field would be read as a time, then no resolver is possible', () => {
    const asUuid = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'x', type: { type: 'string', logicalType: 'uuid' } }] })
    const asTime = parseSchema({
      type: 'record',
      name: 'R',
      fields: [{ name: 'x', type: { type: 'string', logicalType: 'iso-datetime' } }],
    })
    assert.throws(() => asTime.createResolver(asUuid))
  })

  test('when a long is not an integer avsc can zigzag-encode exactly, then it is refused', () => {
    const type = parseSchema({ type: 'record', name: 'R', fields: [{ name: 'n', type: 'long' }] })
    assert.equal(type.isValid({ n: 2 ** 53 }), false)
    assert.equal(type.isValid({ n: 1.5 }), false)
    assert.equal(type.isValid({ n: 9_007_199_254_740_990 }), true)
    assert.equal(type.isValid({ n: Number.MAX_SAFE_INTEGER }), false)
  })
})

describe('normalizeSchema', () => {
  test('when a named type is inlined twice, then the second use becomes a reference', () => {
    const schema = {
      type: 'record',
      name: 'R',
      namespace: 'x',
      fields: [
        { name: 'a', type: Colour },
        { name: 'b', type: ['null', Colour] },
      ],
    }
    const normalized = normalizeSchema(schema) as { fields: { type: unknown }[] }
    assert.deepEqual(normalized.fields[0]?.type, Colour)
    assert.deepEqual(normalized.fields[1]?.type, ['null', 'x.Colour'])
    assert.doesNotThrow(() => parseSchema(schema))
  })

  test('when two different types share a name, then normalizing throws', () => {
    const Other = { type: 'enum', name: 'Colour', symbols: ['BLUE'] }
    assert.throws(
      () =>
        normalizeSchema({
          type: 'record',
          name: 'R',
          fields: [
            { name: 'a', type: Colour },
            { name: 'b', type: Other },
          ],
        }),
      /defined twice/,
    )
  })

  test('when a union is ambiguous, then parsing fails instead of wrapping it', () => {
    const A = { type: 'record', name: 'A', fields: [] }
    const B = { type: 'record', name: 'B', fields: [] }
    assert.throws(() => parseSchema({ type: 'record', name: 'R', fields: [{ name: 'x', type: [A, B] }] }))
  })
})
