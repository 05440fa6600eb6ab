import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { ListBalancesRequest } from '@brokerage/contracts/grpc'
import { isAppError } from '@brokerage/platform'
import { MARKET_CUSTOMER_ID } from '../src/accounts.js'
import { orderCreated, startHarness, type Harness } from './harness.js'

const list = (h: Harness, request: ListBalancesRequest) => h.client.call('ListBalances', request).then((r) => r.balances)

/** Two customers with TRY and AAPL, one with a BUY holding part of their TRY. */
async function twoCustomers(h: Harness) {
  const [a, b] = [randomUUID(), randomUUID()].sort()
  await h.fund(a!, 1_000_000)
  await h.fund(a!, 10, 'AAPL')
  await h.fund(b!, 500)
  await h.fund(b!, 3, 'AAPL')
  await h.send(orderCreated(a!, { size: 2, price: 100_000 }), 'AssetReserved')
  return { a: a!, b: b! }
}

test('when balances are listed by customer, by asset, by both or for everyone, then each answer holds exactly those rows', async (t) => {
  const h = await startHarness(t)
  const { a, b } = await twoCustomers(h)

  assert.deepEqual(await list(h, { customer_ids: [a] }), [
    { customer_id: a, asset_name: 'AAPL', size: 10, usable_size: 10 },
    { customer_id: a, asset_name: 'TRY', size: 1_000_000, usable_size: 800_000 },
  ])
  assert.deepEqual(await list(h, { customer_ids: [a, b], asset_name: 'TRY' }), [
    { customer_id: a, asset_name: 'TRY', size: 1_000_000, usable_size: 800_000 },
    { customer_id: b, asset_name: 'TRY', size: 500, usable_size: 500 },
  ])
  assert.deepEqual(await list(h, { asset_name: 'AAPL' }), [
    { customer_id: a, asset_name: 'AAPL', size: 10, usable_size: 10 },
    { customer_id: b, asset_name: 'AAPL', size: 3, usable_size: 3 },
  ])
  assert.deepEqual(
    (await list(h, {})).map((r) => `${r.customer_id}/${r.asset_name}`),
    [`${a}/AAPL`, `${a}/TRY`, `${b}/AAPL`, `${b}/TRY`],
  )
  await h.assertConserved()
})

test('when a customer is asked for, then no other customer’s balance is in the answer', async (t) => {
  const h = await startHarness(t)
  const { b } = await twoCustomers(h)
  const stranger = randomUUID()

  assert.ok((await list(h, { customer_ids: [b] })).every((r) => r.customer_id === b))
  assert.deepEqual(await list(h, { customer_ids: [stranger] }), [])
  assert.deepEqual(await list(h, { customer_ids: [b], asset_name: 'GOLD' }), [])
  await h.assertConserved()
})

test('when every customer is listed, then the MARKET account is left out unless asked for by id', async (t) => {
  const h = await startHarness(t)
  const customerId = randomUUID()
  await h.fund(customerId, 100)
  // The MARKET row appears with settlement; an empty one stands in for it here.
  await h.db.query("INSERT INTO balances (customer_id, asset_name) VALUES ($1, 'AAPL')", [MARKET_CUSTOMER_ID])

  assert.deepEqual(
    (await list(h, {})).map((r) => r.customer_id),
    [customerId],
  )
  assert.deepEqual(await list(h, { customer_ids: [MARKET_CUSTOMER_ID] }), [
    { customer_id: MARKET_CUSTOMER_ID, asset_name: 'AAPL', size: 0, usable_size: 0 },
  ])
  await h.assertConserved()
})

test('when ListBalances gets bad customer ids or asset name, then VALIDATION_FAILED lists each bad field', async (t) => {
  const h = await startHarness(t)
  const good = randomUUID()

  const refusal = async (request: { customer_ids?: string[]; asset_name?: string }) => {
    const err = await list(h, request).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    )
    assert.ok(isAppError(err), String(err))
    assert.equal(err.code, 'VALIDATION_FAILED')
    return (err.details as Array<{ field: string; message: string }>).map((d) => d.field)
  }

  assert.deepEqual(await refusal({ customer_ids: [good, 'not-a-uuid', '', good] }), ['customer_ids[1]', 'customer_ids[2]'])
  assert.deepEqual(await refusal({ asset_name: 'AA PL' }), ['asset_name'])
  assert.deepEqual(await refusal({ asset_name: 'X'.repeat(33) }), ['asset_name'])
  assert.deepEqual(await refusal({ customer_ids: ["'; DROP TABLE balances; --"], asset_name: '../TRY' }), ['customer_ids[0]', 'asset_name'])
  assert.deepEqual(await refusal({ customer_ids: Array.from({ length: 1001 }, () => good) }), ['customer_ids'])
  assert.deepEqual(await list(h, { customer_ids: [good] }), [], 'the service still answers')
  await h.assertConserved()
})
