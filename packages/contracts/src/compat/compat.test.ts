import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { EVENT_TYPES, versionOf } from '../events/catalogue.js'
import { currentSchemaOf } from '../events/envelope-schema.js'
import { checkBackwardCompatible, compatibilityProblems } from './compat.js'
import { PUBLISHED_DIR, snapshotFileName, writeMissingSnapshots } from './published.js'

const Foo = (extra: object[] = []) => ({
  type: 'record',
  name: 'FooEnvelope',
  namespace: 'brokerage.events',
  fields: [{ name: 'id', type: 'string' }, { name: 'side', type: { type: 'enum', name: 'Side', symbols: ['BUY', 'SELL'] } }, ...extra],
})

function publish(schemas: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'published-'))
  for (const [file, schema] of Object.entries(schemas)) writeFileSync(join(dir, file), JSON.stringify(schema))
  return dir
}

describe('backward compatibility of the published schemas', () => {
  test('when the code is checked against schemas/published, then nothing is broken, removed or unpublished', () => {
    assert.deepEqual(compatibilityProblems(), [])
  })

  test('when a snapshot is read, then it is exactly the current schema as JSON', () => {
    for (const type of EVENT_TYPES) {
      const file = join(PUBLISHED_DIR, snapshotFileName(type, versionOf(type)))
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), currentSchemaOf(type), type)
    }
  })
})

describe('checkBackwardCompatible', () => {
  test('when a field is added with a default, then the new reader reads old data', () => {
    assert.deepEqual(checkBackwardCompatible(Foo([{ name: 'note', type: ['null', 'string'], default: null }]), Foo()), { compatible: true })
  })

  test('when a field is added without a default, then it is incompatible', () => {
    const result = checkBackwardCompatible(Foo([{ name: 'note', type: 'string' }]), Foo())
    assert.equal(result.compatible, false)
    assert.match(!result.compatible ? result.reason : '', /note/)
  })

  test('when an enum loses a symbol, a field changes type or the record is renamed, then it is incompatible', () => {
    const fewer = {
      ...Foo(),
      fields: [
        { name: 'id', type: 'string' },
        { name: 'side', type: { type: 'enum', name: 'Side', symbols: ['BUY'] } },
      ],
    }
    assert.equal(checkBackwardCompatible(fewer, Foo()).compatible, false)
    const retyped = { ...Foo(), fields: [{ name: 'id', type: 'long' }, Foo().fields[1]] }
    assert.equal(checkBackwardCompatible(retyped, Foo()).compatible, false)
    assert.equal(checkBackwardCompatible({ ...Foo(), name: 'BarEnvelope' }, Foo()).compatible, false)
  })

  test('when an enum gains a symbol or a field is dropped, then old data is still readable', () => {
    const more = {
      ...Foo(),
      fields: [
        { name: 'id', type: 'string' },
        { name: 'side', type: { type: 'enum', name: 'Side', symbols: ['BUY', 'SELL', 'SHORT'] } },
      ],
    }
    assert.deepEqual(checkBackwardCompatible(more, Foo()), { compatible: true })
    assert.deepEqual(checkBackwardCompatible({ ...Foo(), fields: [{ name: 'id', type: 'string' }] }, Foo()), { compatible: true })
  })
})

describe('compatibilityProblems', () => {
  const ids = { 'Foo@1': 1, 'Foo@2': 2 }

  test('when version 2 adds a field with a default and both versions are published, then there is no problem', () => {
    const v2 = Foo([{ name: 'note', type: ['null', 'string'], default: null }])
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo(), 'Foo.v2.avsc.json': v2 })
    assert.deepEqual(compatibilityProblems({ publishedDir, ids, events: { Foo: { version: 2, schema: v2 } } }), [])
  })

  test('when version 2 adds a field without a default, then the check fails', () => {
    const v2 = Foo([{ name: 'note', type: 'string' }])
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo(), 'Foo.v2.avsc.json': v2 })
    const problems = compatibilityProblems({ publishedDir, ids, events: { Foo: { version: 2, schema: v2 } } })
    assert.equal(problems.length, 1)
    assert.match(problems[0] ?? '', /^Foo@2 cannot read data written as Foo@1: .*note/)
  })

  test('when a published version is changed in place, then the check asks for a new version, even if compatible', () => {
    const changed = Foo([{ name: 'note', type: ['null', 'string'], default: null }])
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo() })
    const problems = compatibilityProblems({ publishedDir, ids, events: { Foo: { version: 1, schema: changed } } })
    assert.deepEqual(problems, [
      "Foo@1 changed after it was published: make it version 2, add 'Foo@2' to registry-ids.ts and run npx tsx packages/contracts/src/snapshot.ts",
    ])
  })

  test('when a doc changes on a published version, then the wire is the same and nothing is reported', () => {
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo() })
    const documented = { ...Foo(), doc: 'now with a doc' }
    assert.deepEqual(compatibilityProblems({ publishedDir, ids, events: { Foo: { version: 1, schema: documented } } }), [])
  })

  test('when a published event, version or registry id is removed, then the check fails', () => {
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo(), 'Bar.v1.avsc.json': { ...Foo(), name: 'BarEnvelope' } })
    const problems = compatibilityProblems({ publishedDir, ids: { 'Foo@2': 2 }, events: { Foo: { version: 2, schema: Foo() } } })
    assert.deepEqual(problems, [
      'Bar@1 was published, but Bar is no longer an event: consumers and stored messages still need it',
      'Foo@1 was published, but its registry id was removed from registry-ids.ts',
      'Foo@2 has no snapshot: run npx tsx packages/contracts/src/snapshot.ts',
    ])
  })

  test('when an event version has no registry id, then the check fails', () => {
    const publishedDir = publish({ 'Foo.v1.avsc.json': Foo() })
    assert.deepEqual(compatibilityProblems({ publishedDir, ids: {}, events: { Foo: { version: 1, schema: Foo() } } }), [
      'Foo@1 was published, but its registry id was removed from registry-ids.ts',
      'Foo@1 has no id in registry-ids.ts',
    ])
  })
})

describe('writeMissingSnapshots', () => {
  test('when snapshots are written twice, then the first stays and existing files are never overwritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snapshots-'))
    const existing = join(dir, snapshotFileName('OrderCreated', versionOf('OrderCreated')))
    writeFileSync(existing, '{"kept": true}')
    const written = writeMissingSnapshots(dir)
    assert.equal(written.length, EVENT_TYPES.length - 1)
    assert.equal(readFileSync(existing, 'utf8'), '{"kept": true}')
    assert.deepEqual(writeMissingSnapshots(dir), [])
    assert.equal(readdirSync(dir).length, EVENT_TYPES.length)
    assert.ok(existsSync(join(dir, snapshotFileName('OrderMatched', 1))))
  })
})
