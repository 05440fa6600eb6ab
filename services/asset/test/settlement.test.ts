import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { newEnvelope, TOPICS, type Envelope, type EventData } from '@brokerage/contracts'
import { eventually } from '@brokerage/platform/testing'
import { MARKET_CUSTOMER_ID } from '../src/accounts.js'
import { checkConservation } from '../src/conservation.js'
import { SETTLEMENT_GROUP } from '../src/settlement.js'
import { orderCancelled, orderCreated, startHarness, type Harness } from './harness.js'

// Settlement of trades (OrderMatched on trade.events) and its compensation (OrderFailed on
// processor.events), as the order-processor would publish them.

type Created = Envelope<'OrderCreated'>

const leg = (o: Created) => ({ orderId: o.data.orderId, customerId: o.data.customerId, limitPrice: o.data.price })

function trade(t: { price: number; size: number; buy: Created | null; sell: Created | null }) {
  return newEnvelope('OrderMatched', {
    tradeId: randomUUID(),
    assetName: 'AAPL',
    price: t.price,
    size: t.size,
    buy: t.buy && leg(t.buy),
    sell: t.sell && leg(t.sell),
    trigger: t.buy && t.sell ? 'CROSSING' : 'MATCH_REQUEST',
    matchedAt: new Date().toISOString(),
  })
}

function failed(o: Created, reason: EventData<'OrderFailed'>['reason'] = 'SETTLEMENT_REJECTED') {
  const { orderId, customerId, assetName, side } = o.data
  return newEnvelope('OrderFailed', {
    orderId,
    customerId,
    assetName,
    side,
    tradeId: null,
    filledSize: 0,
    reason,
    failedAt: new Date().toISOString(),
  })
}

/** A buyer with 1,000,000 TRY whose BUY 10 @ 15,000 is reserved, and a seller with 20 AAPL whose SELL 10 @ 14,000 is. */
async function twoOrders(h: Harness) {
  const buyer = randomUUID()
  const seller = randomUUID()
  await h.fund(buyer, 1_000_000)
  await h.fund(seller, 20, 'AAPL')
  const buy = orderCreated(buyer, { side: 'BUY', size: 10, price: 15_000 })
  const sell = orderCreated(seller, { side: 'SELL', size: 10, price: 14_000 })
  await h.send(buy, 'AssetReserved')
  await h.send(sell, 'AssetReserved')
  return { buyer, seller, buy, sell }
}

/** Waits until the settlement group has handled everything published on its topics. */
async function settled(h: Harness) {
  await eventually(async () => (await h.bus.lag(SETTLEMENT_GROUP, [TOPICS.trade, TOPICS.processor])).every((p) => p.lag === 0), {
    what: 'the settlement group to catch up',
  })
}

test('when a crossing trade settles below the buyer limit, then both legs move exactly as SPEC §2 says, with the price improvement returned', async (t) => {
  const h = await startHarness(t)
  const { buyer, seller, buy, sell } = await twoOrders(h)

  const fill = trade({ price: 14_000, size: 6, buy, sell })
  await h.publish(fill)
  const answers = await h.answersTo(fill, 2)

  assert.deepEqual(
    answers.map((a) => [a.type, a.key]).sort(),
    [
      ['AssetTransferred', buyer],
      ['AssetTransferred', seller],
    ].sort(),
  )
  const toBuyer = answers.find((a) => a.key === buyer) as Envelope<'AssetTransferred'>
  assert.deepEqual(toBuyer.data.changes, [
    { assetName: 'TRY', sizeDelta: -84_000, usableSizeDelta: 6_000 },
    { assetName: 'AAPL', sizeDelta: 6, usableSizeDelta: 6 },
  ])
  assert.deepEqual(await h.balance(buyer), { size: 916_000, usable: 856_000 })
  assert.deepEqual(await h.balance(buyer, 'AAPL'), { size: 6, usable: 6 })
  assert.deepEqual(await h.balance(seller, 'AAPL'), { size: 14, usable: 10 })
  assert.deepEqual(await h.balance(seller), { size: 84_000, usable: 84_000 })
  assert.equal((await h.reservation(buy.data.orderId))!.held_amount, 60_000, '4 left × limit 15,000')
  assert.equal((await h.reservation(sell.data.orderId))!.held_amount, 4)
  await h.assertConserved()

  // The same trade again (a replayed copy under a new event id) settles nothing more.
  await h.publish(newEnvelope('OrderMatched', fill.data))
  await settled(h)
  assert.deepEqual(await h.balance(buyer), { size: 916_000, usable: 856_000 })

  // Cancel of the remainders: only what is left of each reservation comes back.
  await h.send(orderCancelled(buy, 4), 'AssetReleased')
  await h.send(orderCancelled(sell, 4), 'AssetReleased')
  assert.deepEqual(await h.balance(buyer), { size: 916_000, usable: 916_000 })
  assert.deepEqual(await h.balance(seller, 'AAPL'), { size: 14, usable: 14 })
  await h.assertConserved()
})

test('when a match command fills a SELL against the market, then the MARKET account takes the other side and may go negative', async (t) => {
  const h = await startHarness(t)
  const { seller, sell } = await twoOrders(h)

  const fill = trade({ price: 14_000, size: 10, buy: null, sell })
  await h.send(fill, 'AssetTransferred')
  assert.deepEqual(await h.balance(seller, 'AAPL'), { size: 10, usable: 10 })
  assert.deepEqual(await h.balance(seller), { size: 140_000, usable: 140_000 })
  assert.deepEqual(await h.balance(MARKET_CUSTOMER_ID, 'AAPL'), { size: 10, usable: 10 })
  assert.deepEqual(await h.balance(MARKET_CUSTOMER_ID), { size: -140_000, usable: -140_000 })
  assert.equal((await h.reservation(sell.data.orderId))!.held_amount, 0)
  await h.assertConserved()
})

test('when the cancel of the remainder arrives before the fill it followed, then the fill still settles from what the cancel left', async (t) => {
  const h = await startHarness(t)
  const { buyer, buy } = await twoOrders(h)

  await h.send(orderCancelled(buy, 4), 'AssetReleased')
  assert.deepEqual(await h.balance(buyer), { size: 1_000_000, usable: 910_000 })
  const fill = trade({ price: 15_000, size: 6, buy, sell: null })
  await h.send(fill, 'AssetTransferred')
  assert.deepEqual(await h.balance(buyer), { size: 910_000, usable: 910_000 })
  assert.equal((await h.reservation(buy.data.orderId))!.held_amount, 0)
  await h.assertConserved()
})

test('when a leg’s reservation no longer covers the fill, then nothing of the trade is applied and OrderFailed releases the other order', async (t) => {
  const h = await startHarness(t)
  const { buyer, seller, buy, sell } = await twoOrders(h)
  // The seller's reservation was given back already (a cancel the engine never saw, say).
  await h.send(orderCancelled(sell), 'AssetReleased')

  const fill = trade({ price: 14_000, size: 6, buy, sell })
  const refused = await h.send(fill, 'AssetTransferFailed')
  assert.deepEqual([refused.key, refused.data.orderId, refused.data.reason], [seller, sell.data.orderId, 'INSUFFICIENT_RESERVATION'])
  assert.deepEqual(await h.journal(fill.data.tradeId), [])
  assert.deepEqual(await h.balance(buyer), { size: 1_000_000, usable: 850_000 })

  const released = await h.send(failed(buy), 'AssetReleased')
  assert.deepEqual([released.data.amount, released.data.reason], [150_000, 'ORDER_FAILED'])
  assert.deepEqual(await h.balance(buyer), { size: 1_000_000, usable: 1_000_000 })
  assert.equal((await h.reservation(buy.data.orderId))!.closed_by, 'FAILED')

  // A trade of the failed order that comes later is refused, not settled from nothing.
  await h.send(trade({ price: 15_000, size: 1, buy, sell: null }), 'AssetTransferFailed')
  await h.assertConserved()
})

test('when one side of a settled trade is changed by hand, then the checker says the trade does not balance', async (t) => {
  const h = await startHarness(t)
  const { buyer, buy, sell } = await twoOrders(h)
  const fill = trade({ price: 14_000, size: 6, buy, sell })
  await h.publish(fill)
  await h.answersTo(fill, 2)
  await h.assertConserved()

  await h.db.tx(async (tx) => {
    await tx.query("UPDATE balances SET size = size + 1, usable_size = usable_size + 1 WHERE customer_id = $1 AND asset_name = 'AAPL'", [
      buyer,
    ])
    await tx.query(
      `INSERT INTO journal (customer_id, asset_name, size_delta, usable_size_delta, cause_event_id, cause_event_type, reference_id)
       VALUES ($1, 'AAPL', 1, 1, $2, 'OrderMatched', $3)`,
      [buyer, randomUUID(), fill.data.tradeId],
    )
    await tx.query('UPDATE settlements SET event_id = (SELECT cause_event_id FROM journal ORDER BY id DESC LIMIT 1) WHERE trade_id = $1', [
      fill.data.tradeId,
    ])
  })

  const rules = (await checkConservation(h.db)).map((v) => `${v.rule} ${v.tradeId ?? v.customerId ?? '*'} ${v.assetName}`)
  assert.deepEqual(rules.sort(), ['ASSET_NOT_CONSERVED * AAPL', `TRADE_NOT_BALANCED ${fill.data.tradeId} AAPL`])
})

test('when a trade and an OrderFailed name their orders and customers in upper case, then they settle and release as the lower-case ids do', async (t) => {
  const h = await startHarness(t)
  const { buyer, buy, sell } = await twoOrders(h)
  // The schemas accept a UUID in either case, and PostgreSQL stores it in lower case.
  const upper = (o: Created): Created => ({
    ...o,
    data: { ...o.data, orderId: o.data.orderId.toUpperCase(), customerId: o.data.customerId.toUpperCase() },
  })

  await h.send(trade({ price: 14_000, size: 6, buy: upper(buy), sell: upper(sell) }), 'AssetTransferred')
  assert.deepEqual(await h.balance(buyer), { size: 916_000, usable: 856_000 })

  const released = await h.send(failed(upper(buy)), 'AssetReleased')
  assert.equal(released.data.amount, 60_000)
  assert.deepEqual(await h.balance(buyer), { size: 916_000, usable: 916_000 })
  await h.assertConserved()
})
