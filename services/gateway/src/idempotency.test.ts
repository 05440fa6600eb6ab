import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ReplyError, type Redis } from 'ioredis'
import { isAppError } from '@brokerage/platform'
import { createRedisIdempotencyStore } from './idempotency.js'

/** A Redis whose every script answers with this error (a unit test's stand-in for a failover). */
const failingRedis = (err: Error) => ({ eval: async () => Promise.reject(err) }) as unknown as Redis

const beginWith = (err: Error) => createRedisIdempotencyStore(failingRedis(err), Date.now).begin('CUSTOMER:c1', 'key-1', 'fingerprint')

for (const reply of [
  'LOADING Redis is loading the dataset in memory',
  "READONLY You can't write against a read only replica.",
  'MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to no',
  'TRYAGAIN Multiple keys request during rearding of slot',
]) {
  test(`when Redis answers ${reply.split(' ')[0]} during a restart or failover, then an idempotent request is told UNAVAILABLE with a time to retry`, async () => {
    const err = await beginWith(new ReplyError(reply)).then(
      () => assert.fail('begin succeeded'),
      (e: unknown) => e,
    )
    assert.ok(isAppError(err))
    assert.deepEqual({ code: err.code, retryAfterSeconds: err.retryAfterSeconds }, { code: 'UNAVAILABLE', retryAfterSeconds: 5 })
  })
}

test('when Redis refuses a script for a reason of ours, then the error stays what it is (an internal error)', async () => {
  const refused = new ReplyError('ERR Error running script: wrong number of arguments')
  await assert.rejects(beginWith(refused), (e) => e === refused)
})
