import assert from 'node:assert/strict'
import { test } from 'node:test'
import { laterStatus } from './live.ts'

// The feed may announce a fill before the order service has stored it; a refetch then
// answers the older status, which must not win over what the feed already said.
test('when a refetch answers an older status than the feed told, then the feed’s status is shown', () => {
  assert.equal(laterStatus('CONFIRMED', 'MATCHED'), 'MATCHED')
  assert.equal(laterStatus('PENDING', 'CONFIRMED'), 'CONFIRMED')
  assert.equal(laterStatus('PARTIALLY_FILLED', 'CANCELED'), 'CANCELED')
})

test('when the fetched status is as far along or further, then it is shown', () => {
  assert.equal(laterStatus('MATCHED', 'PARTIALLY_FILLED'), 'MATCHED')
  assert.equal(laterStatus('CONFIRMED', undefined), 'CONFIRMED')
  assert.equal(laterStatus('CANCELED', 'CONFIRMED'), 'CANCELED')
})
