import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRateLimiter, createTierCache, limitForTier, LIMITS, withConfiguredLimits } from './rate-limit.js'

test('when a bucket is drained, then it refills continuously at limit per minute and never beyond the limit', () => {
  let now = 0
  const limiter = createRateLimiter({ now: () => now })
  for (let i = 0; i < 100; i++) assert.equal(limiter.take('a', 100).allowed, true)
  const refused = limiter.take('a', 100)
  assert.deepEqual(refused, { allowed: false, limit: 100, remaining: 0, retryAfterSeconds: 1 })
  now += 600 // one token: 60 000 ms / 100
  assert.equal(limiter.take('a', 100).allowed, true)
  assert.equal(limiter.take('a', 100).allowed, false)
  now += 10 * 60_000
  assert.equal(limiter.take('a', 100).remaining, 99)
})

test('when the limit drops (a tier lowered), then saved-up tokens are capped at the new limit', () => {
  let now = 0
  const limiter = createRateLimiter({ now: () => now })
  limiter.take('a', 1000)
  now += 1
  assert.equal(limiter.take('a', 100).remaining, 99)
})

test('when buckets have been idle a whole window, then they are swept from memory', () => {
  let now = 0
  const limiter = createRateLimiter({ now: () => now, maxKeys: 10 })
  for (let i = 0; i < 11; i++) limiter.take(`k${i}`, 100)
  now += 60_000
  limiter.take('fresh', 100)
  assert.equal(limiter.size(), 1)
})

test('when a tier lookup fails, then STANDARD applies and the next request asks again', async () => {
  let now = 0
  let fail = true
  const cache = createTierCache({
    now: () => now,
    fetchTier: async () => {
      if (fail) throw new Error('down')
      return 'VIP'
    },
  })
  assert.equal(await cache.tierOf('c'), 'STANDARD')
  fail = false
  assert.equal(await cache.tierOf('c'), 'VIP')
  now += 1
  assert.equal(await cache.tierOf('c'), 'VIP')
  assert.deepEqual(['STANDARD', 'PREMIUM', 'VIP', 'UNKNOWN'].map(limitForTier), [100, 500, 1000, 100])
})

test('when the per-address limit is configured, then address keys get it and signed-in callers keep their own', () => {
  const limiter = withConfiguredLimits(createRateLimiter({ now: () => 0 }), { perAddress: 3 })
  for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('ip:10.0.0.1', LIMITS.ANONYMOUS), { allowed: true, limit: 3, remaining: 2 - i })
  assert.equal((limiter.take('ip:10.0.0.1', LIMITS.ANONYMOUS) as { allowed: boolean }).allowed, false)
  assert.deepEqual(limiter.take('customer:c1', LIMITS.VIP), { allowed: true, limit: 1000, remaining: 999 })
})

test('when the staff limit is configured, then brokers and admins get it, and customers and addresses keep their own', () => {
  const limiter = withConfiguredLimits(createRateLimiter({ now: () => 0 }), { staff: 3 })
  for (const key of ['ADMIN:admin', 'BROKER:b1']) {
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take(key, LIMITS.STAFF), { allowed: true, limit: 3, remaining: 2 - i })
    assert.equal((limiter.take(key, LIMITS.STAFF) as { allowed: boolean }).allowed, false)
  }
  assert.deepEqual(limiter.take('CUSTOMER:c1', LIMITS.VIP), { allowed: true, limit: 1000, remaining: 999 })
  assert.deepEqual(limiter.take('ip:10.0.0.1', LIMITS.ANONYMOUS), { allowed: true, limit: 100, remaining: 99 })
})
