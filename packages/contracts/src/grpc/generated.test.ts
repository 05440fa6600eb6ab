import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { GENERATED_DIR, generateProtoTypes, generatorFlags, readTree } from './generate.js'
import { PROTO_LOADER_OPTIONS } from './proto.js'

// The committed types are what the generator makes of today's protos, as fastify checks
// its committed validators: a .proto (or loader option) changed without `npm run proto:gen` fails here.

test('when the proto types are regenerated, then nothing changes', (t) => {
  const fresh = mkdtempSync(join(tmpdir(), 'proto-types-'))
  t.after(() => rmSync(fresh, { recursive: true, force: true }))
  generateProtoTypes(fresh)
  const committed = readTree(GENERATED_DIR)
  const regenerated = readTree(fresh)
  const hint = 'the generated gRPC types are stale: run `npm run proto:gen` and commit src/grpc/generated'
  assert.deepEqual([...committed.keys()].sort(), [...regenerated.keys()].sort(), hint)
  for (const [file, source] of regenerated) assert.equal(committed.get(file), source, `${file}: ${hint}`)
})

test('when the loader options are turned into generator flags, then each one is mirrored', () => {
  assert.deepEqual(generatorFlags(), ['--keepCase', '--longs=Number', '--enums=String', '--defaults', '--oneofs'])
  assert.throws(() => generatorFlags({ ...PROTO_LOADER_OPTIONS, alternateCommentMode: true }), /alternateCommentMode/)
})
