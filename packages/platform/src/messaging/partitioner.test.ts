import { test } from 'node:test'
import assert from 'node:assert/strict'
import { murmur2, partitionFor } from './partitioner.js'

test("when hashing keys, then murmur2 matches the values Kafka's Java client computes", () => {
  // Reference values from Kafka's UtilsTest.testMurmur2.
  assert.equal(murmur2(Buffer.from('21')), -973932308)
  assert.equal(murmur2(Buffer.from('foobar')), -790332482)
  assert.equal(murmur2(Buffer.from('a-little-bit-long-string')), -985981536)
  assert.equal(murmur2(Buffer.from('a-little-bit-longer-string')), -1486304829)
  assert.equal(murmur2(Buffer.from('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')), -58897971)
  assert.equal(murmur2(Buffer.from('abc')), 479470107)
})

test('when a key is routed, then it always lands on the same partition within range', () => {
  for (const key of ['a', 'customer-1', '9c1f0e1e-0000-4000-8000-000000000000']) {
    const p = partitionFor(key, 8)
    assert.ok(p >= 0 && p < 8)
    assert.equal(partitionFor(key, 8), p)
  }
})
