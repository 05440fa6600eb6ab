import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { MARKET_CUSTOMER_ID } from '../src/accounts.js'
import { checkConservation } from '../src/conservation.js'
import { orderCreated, startHarness, withdrawalRequested, withdrawalSent, type Harness } from './harness.js'

const rules = async (h: Harness) => (await checkConservation(h.db)).map((v) => [v.rule, v.customerId ?? '*', v.assetName].join(' ')).sort()

/** A customer with deposits, a completed and a pending withdrawal, and a reserved BUY and SELL. */
async function busyCustomer(h: Harness) {
  const customerId = randomUUID()
  await h.fund(customerId, 1_000_000)
  await h.fund(customerId, 20, 'AAPL')
  const out = withdrawalRequested(customerId, 100_000)
  await h.send(out, 'WithdrawalReserved')
  await h.send(withdrawalSent(out), 'WithdrawalCompleted')
  await h.send(withdrawalRequested(customerId, 50_000), 'WithdrawalReserved')
  const buy = orderCreated(customerId, { size: 2, price: 100_000 })
  await h.send(buy, 'AssetReserved')
  const sell = orderCreated(customerId, { side: 'SELL', size: 5 })
  await h.send(sell, 'AssetReserved')
  return { customerId, buy, sell }
}

test('when deposits, withdrawals and reservations have all been applied, then the checker finds nothing', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await busyCustomer(h)

  assert.deepEqual(await h.balance(customerId), { size: 900_000, usable: 650_000 })
  assert.deepEqual(await h.balance(customerId, 'AAPL'), { size: 20, usable: 15 })
  assert.deepEqual(await checkConservation(h.db), [])
})

test('when a fill against the market moves value through a negative MARKET account, then the checker still finds nothing', async (t) => {
  const h = await startHarness(t)
  const { customerId, buy } = await busyCustomer(h)
  const tradeId = randomUUID()
  const eventId = randomUUID()

  // Settlement is a later issue; this is what it will write for a BUY of 2 at its limit 100,000.
  await h.db.tx(async (tx) => {
    const legs: Array<[string, string, number, number]> = [
      [customerId, 'TRY', -200_000, 0],
      [customerId, 'AAPL', 2, 2],
      [MARKET_CUSTOMER_ID, 'TRY', 200_000, 200_000],
      [MARKET_CUSTOMER_ID, 'AAPL', -2, -2],
    ]
    for (const [c, asset, size, usable] of legs) {
      await tx.query('INSERT INTO balances (customer_id, asset_name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [c, asset])
      await tx.query('UPDATE balances SET size = size + $3, usable_size = usable_size + $4 WHERE customer_id = $1 AND asset_name = $2', [
        c,
        asset,
        size,
        usable,
      ])
      await tx.query(
        `INSERT INTO journal (customer_id, asset_name, size_delta, usable_size_delta, cause_event_id, cause_event_type, reference_id)
         VALUES ($1, $2, $3, $4, $5, 'OrderMatched', $6)`,
        [c, asset, size, usable, eventId, tradeId],
      )
    }
    await tx.query(`UPDATE order_reservations SET held_amount = 0, consumed_amount = 200000, filled_size = 2 WHERE order_id = $1`, [
      buy.data.orderId,
    ])
  })

  assert.deepEqual(await h.balance(MARKET_CUSTOMER_ID, 'AAPL'), { size: -2, usable: -2 })
  assert.deepEqual(await checkConservation(h.db), [])
})

test('when a balance is changed by hand, then conservation, its journal and its reservations all disagree', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await busyCustomer(h)

  await h.db.query("UPDATE balances SET size = size + 5 WHERE customer_id = $1 AND asset_name = 'TRY'", [customerId])

  assert.deepEqual(await rules(h), [
    'ASSET_NOT_CONSERVED * TRY',
    `BALANCE_NOT_JOURNAL_SUM ${customerId} TRY`,
    `RESERVATIONS_MISMATCH ${customerId} TRY`,
  ])
  const [v] = await checkConservation(h.db)
  assert.match(v!.message, /900005.*900000/)
})

test('when a reservation drifts from its balance, then only the reservation rule fires', async (t) => {
  const h = await startHarness(t)
  const { customerId, sell } = await busyCustomer(h)

  await h.db.query(
    'UPDATE order_reservations SET held_amount = held_amount - 1, released_amount = released_amount + 1 WHERE order_id = $1',
    [sell.data.orderId],
  )

  assert.deepEqual(await rules(h), [`RESERVATIONS_MISMATCH ${customerId} AAPL`])
})

test('when usable exceeds size on a customer row, then the range rule fires (the CHECK normally forbids it)', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await busyCustomer(h)

  await h.db.query('ALTER TABLE balances DROP CONSTRAINT balances_usable_within_size')
  await h.db.query("UPDATE balances SET usable_size = size + 1 WHERE customer_id = $1 AND asset_name = 'AAPL'", [customerId])

  assert.deepEqual(await rules(h), [
    `BALANCE_NOT_JOURNAL_SUM ${customerId} AAPL`,
    `RESERVATIONS_MISMATCH ${customerId} AAPL`,
    `USABLE_OUT_OF_RANGE ${customerId} AAPL`,
  ])
})

test('when a deposit is recorded but never credited, then the asset is not conserved', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await busyCustomer(h)

  await h.db.query("INSERT INTO deposits (movement_id, customer_id, asset_name, amount, event_id) VALUES ($1, $2, 'GOLD', 7, $3)", [
    randomUUID(),
    customerId,
    randomUUID(),
  ])

  assert.deepEqual(await rules(h), ['ASSET_NOT_CONSERVED * GOLD'])
})

test('when a customer row is pushed below zero, then the balance CHECK refuses it', async (t) => {
  const h = await startHarness(t)
  const { customerId } = await busyCustomer(h)

  await assert.rejects(
    h.db.query("UPDATE balances SET usable_size = -1 WHERE customer_id = $1 AND asset_name = 'TRY'", [customerId]),
    /balances_usable_not_negative/,
  )
  await assert.rejects(h.db.query('DELETE FROM journal'), /append-only/)
  assert.deepEqual(await checkConservation(h.db), [])
})
