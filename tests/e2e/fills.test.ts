import { test } from 'node:test'
import assert from 'node:assert/strict'
import { newEnvelope } from '@brokerage/contracts'
import { createEventCodec } from '@brokerage/platform'
import { createPgLogBus } from '@brokerage/platform/messaging/pglog'
import { startPlatform } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until, type Balance } from './helpers.js'

// The trade loop on real processes through the gateway: match command, crossing, self-trade
// prevention, cancel of a partial fill, trades, 409s, and a settlement failure provoked on
// purpose. Every scenario ends by checking conservation over the asset service's tables.

type Balances = Record<string, Balance>
const pair = (b: Balances, asset: string) => [b[asset]?.size ?? 0, b[asset]?.usableSize ?? 0]

test('fills through the gateway on real processes', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const ada = await createCustomer(p, admin, { name: 'Ada' })
  const bo = await createCustomer(p, admin, { name: 'Bo' })
  const adaToken = await p.login(ada.email, ada.password)
  await deposit(p, admin, ada.id, 10_000_000)
  await deposit(p, admin, bo.id, 1_000)
  for (const asset of ['AAPL', 'XON', 'XOFF']) await deposit(p, admin, bo.id, 100, asset)
  await deposit(p, admin, ada.id, 100, 'XON')

  const place = async (customerId: string, assetName: string, side: 'BUY' | 'SELL', size: number, price: number) => {
    const res = await p.api('POST', '/api/orders', {
      token: admin,
      body: { customerId, assetName, side, size, price },
      headers: { prefer: 'wait=10' },
    })
    assert.equal(res.body.status, 'CONFIRMED', JSON.stringify(res.body))
    return res.body.id as string
  }
  const get = async (id: string) => (await p.api('GET', `/api/orders/${id}`, { token: admin })).body
  const trades = async (id: string) => (await p.api('GET', `/api/orders/${id}/trades`, { token: admin })).body
  const of = (id: string) => balances(p, admin, id)
  /** Waits until the asset service holds nothing for the customer beyond `held` (per asset). */
  const settledBalances = (id: string, held: Record<string, number> = {}) =>
    until(
      `balances of ${id} to settle`,
      () => of(id),
      (b) => Object.values(b).every((x) => x.size - x.usableSize === (held[x.assetName] ?? 0)),
    )
  const assertConserved = async () => assert.deepEqual(await p.conservation(), [])
  /** CONFIRMED is the order service's word; the engine books the order when OrderConfirmed reaches it. */
  const bookOf = (asset: string, ok: (b: { bids: unknown[]; asks: unknown[] }) => boolean) =>
    until(`the ${asset} book`, async () => (await p.api('GET', `/api/orderbook/${asset}`, { token: admin })).body, ok)

  await t.test(
    'when a broker or admin matches a BUY, then it is MATCHED at its limit, the trade is served and nothing stays reserved',
    async () => {
      const before = await of(ada.id)
      const id = await place(ada.id, 'AAPL', 'BUY', 10, 15_000)
      const res = await p.api('POST', `/api/orders/${id}/match`, { token: admin })
      assert.equal(res.status, 202)
      const o = await orderStatus(p, admin, id, ['MATCHED'])
      assert.equal(o.filledSize, 10)
      const after = await settledBalances(ada.id)
      assert.deepEqual(pair(after, 'TRY'), [pair(before, 'TRY')[0]! - 150_000, pair(before, 'TRY')[1]! - 150_000])
      assert.deepEqual(pair(after, 'AAPL'), [10, 10])
      const list = await trades(id)
      assert.equal(list.length, 1)
      assert.deepEqual([list[0].size, list[0].price, list[0].side, list[0].orderId], [10, 15_000, 'BUY', id])
      assert.ok(
        o.history.some((h: { status: string; eventType: string }) => h.status === 'MATCHED' && h.eventType === 'SettlementCompleted'),
      )

      const again = await p.api('POST', `/api/orders/${id}/match`, { token: admin })
      assert.equal(again.status, 409, 'a filled order is not matched twice')
      const cancel = await p.api('DELETE', `/api/orders/${id}`, { token: admin })
      assert.equal(cancel.status, 409, 'a MATCHED order has nothing to cancel')
      const byCustomer = await p.api('POST', `/api/orders/${id}/match`, { token: adaToken })
      assert.equal(byCustomer.status, 403, 'a customer cannot match')
      await assertConserved()
    },
  )

  await t.test('when a SELL is matched, then the asset leaves and size×price TRY arrives, usable at once', async () => {
    const before = await of(ada.id)
    const id = await place(ada.id, 'AAPL', 'SELL', 4, 16_000)
    assert.equal((await p.api('POST', `/api/orders/${id}/match`, { token: admin })).status, 202)
    await orderStatus(p, admin, id, ['MATCHED'])
    const after = await settledBalances(ada.id)
    assert.deepEqual(pair(after, 'AAPL'), [pair(before, 'AAPL')[0]! - 4, pair(before, 'AAPL')[1]! - 4])
    assert.deepEqual(pair(after, 'TRY'), [pair(before, 'TRY')[0]! + 64_000, pair(before, 'TRY')[1]! + 64_000])
    await assertConserved()
  })

  await t.test('when crossing is off, then crossing orders rest side by side and nothing fills', async () => {
    const sell = await place(bo.id, 'XOFF', 'SELL', 5, 14_000)
    const buy = await place(ada.id, 'XOFF', 'BUY', 5, 15_000)
    const book = await bookOf('XOFF', (b) => b.bids.length > 0 && b.asks.length > 0)
    assert.deepEqual(
      { bids: book.bids, asks: book.asks },
      { bids: [{ price: 15_000, size: 5, orders: 1 }], asks: [{ price: 14_000, size: 5, orders: 1 }] },
    )
    for (const id of [sell, buy]) {
      assert.equal((await get(id)).status, 'CONFIRMED')
      assert.equal((await p.api('DELETE', `/api/orders/${id}`, { token: admin })).status, 202)
      await orderStatus(p, admin, id, ['CANCELED'])
    }
    assert.deepEqual(await trades(buy), [])
  })

  await t.test('when crossing is turned on, then it reaches the engine', async () => {
    const res = await p.api('PUT', '/api/markets/XON', { token: admin, body: { crossing: true } })
    assert.equal(res.status, 200)
    const engine = p.db('order-processor')
    await until(
      'the engine to apply the setting',
      async () => (await engine.query('SELECT crossing FROM books WHERE asset_name = $1', ['XON'])).rows[0]?.crossing,
      (c) => c === true,
    )
  })

  await t.test('when two customers cross, then both fill at the resting price and the buyer gets the improvement back', async () => {
    const [adaBefore, boBefore] = [await of(ada.id), await of(bo.id)]
    const sell = await place(bo.id, 'XON', 'SELL', 5, 14_000)
    const buy = await place(ada.id, 'XON', 'BUY', 5, 15_000)
    const [s, b] = [await orderStatus(p, admin, sell, ['MATCHED']), await orderStatus(p, admin, buy, ['MATCHED'])]
    assert.deepEqual([s.filledSize, b.filledSize], [5, 5])
    const adaAfter = await settledBalances(ada.id)
    const boAfter = await settledBalances(bo.id)
    assert.deepEqual(pair(adaAfter, 'TRY'), [pair(adaBefore, 'TRY')[0]! - 70_000, pair(adaBefore, 'TRY')[1]! - 70_000])
    assert.deepEqual(pair(adaAfter, 'XON'), [pair(adaBefore, 'XON')[0]! + 5, pair(adaBefore, 'XON')[1]! + 5])
    assert.deepEqual(pair(boAfter, 'TRY'), [pair(boBefore, 'TRY')[0]! + 70_000, pair(boBefore, 'TRY')[1]! + 70_000])
    assert.deepEqual(pair(boAfter, 'XON'), [pair(boBefore, 'XON')[0]! - 5, pair(boBefore, 'XON')[1]! - 5])
    const [bt, st] = [await trades(buy), await trades(sell)]
    assert.equal(bt.length, 1)
    assert.equal(bt[0].tradeId, st[0].tradeId, 'one trade, two orders')
    assert.equal(bt[0].price, 14_000)
    await assertConserved()
  })

  await t.test(
    'when a BUY fills partly and its remainder is cancelled, then the filled part stays and only the remainder is released',
    async () => {
      const adaBefore = await of(ada.id)
      const sell = await place(bo.id, 'XON', 'SELL', 3, 14_000)
      const buy = await place(ada.id, 'XON', 'BUY', 5, 14_500)
      const partial = await until(
        'the fill to settle',
        () => get(buy),
        (o) => o.status === 'PARTIALLY_FILLED',
      )
      assert.equal(partial.filledSize, 3)
      await orderStatus(p, admin, sell, ['MATCHED'])
      const book = (await p.api('GET', '/api/orderbook/XON', { token: admin })).body
      assert.deepEqual(book.bids, [{ price: 14_500, size: 2, orders: 1 }], 'the remainder rests')
      assert.equal((await p.api('DELETE', `/api/orders/${buy}`, { token: adaToken })).status, 202)
      const cancelled = await orderStatus(p, admin, buy, ['CANCELED'])
      assert.equal(cancelled.filledSize, 3)
      const after = await settledBalances(ada.id)
      // 3 at 14,000 paid; 3×500 improvement and the 2×14,500 remainder came back.
      assert.deepEqual(pair(after, 'TRY'), [pair(adaBefore, 'TRY')[0]! - 42_000, pair(adaBefore, 'TRY')[1]! - 42_000])
      assert.deepEqual(pair(after, 'XON'), [pair(adaBefore, 'XON')[0]! + 3, pair(adaBefore, 'XON')[1]! + 3])
      assert.equal((await trades(buy)).length, 1)
      await assertConserved()
    },
  )

  await t.test('when one BUY sweeps two price levels, then it trades at each resting price and gets each improvement back', async () => {
    const adaBefore = await of(ada.id)
    const cheap = await place(bo.id, 'XON', 'SELL', 2, 14_000)
    const dearer = await place(bo.id, 'XON', 'SELL', 2, 14_200)
    const buy = await place(ada.id, 'XON', 'BUY', 4, 14_500)
    await orderStatus(p, admin, buy, ['MATCHED'])
    await orderStatus(p, admin, cheap, ['MATCHED'])
    await orderStatus(p, admin, dearer, ['MATCHED'])
    const after = await settledBalances(ada.id)
    assert.deepEqual(pair(after, 'TRY'), [pair(adaBefore, 'TRY')[0]! - 56_400, pair(adaBefore, 'TRY')[1]! - 56_400])
    const fills = (await trades(buy)).map((x: { size: number; price: number }) => [x.size, x.price]).sort()
    assert.deepEqual(fills, [
      [2, 14_000],
      [2, 14_200],
    ])
    await assertConserved()
  })

  await t.test("when a customer's BUY crosses their own SELL, then neither trades and both rest", async () => {
    const sell = await place(ada.id, 'XON', 'SELL', 1, 14_000)
    const buy = await place(ada.id, 'XON', 'BUY', 1, 15_000)
    const book = await bookOf('XON', (b) => b.bids.length > 0 && b.asks.length > 0)
    assert.deepEqual(book.asks, [{ price: 14_000, size: 1, orders: 1 }])
    assert.deepEqual(book.bids, [{ price: 15_000, size: 1, orders: 1 }])
    for (const id of [sell, buy]) {
      assert.equal((await get(id)).status, 'CONFIRMED')
      await p.api('DELETE', `/api/orders/${id}`, { token: admin })
      await orderStatus(p, admin, id, ['CANCELED'])
    }
    await settledBalances(ada.id)
    await assertConserved()
  })

  await t.test(
    'when a settlement fails (the reservation no longer covers the fill), then the order ends FAILED with everything released',
    async () => {
      const before = await settledBalances(ada.id)
      const id = await place(ada.id, 'AAPL', 'BUY', 2, 15_000)
      // Provoked on purpose: a cancel the engine never saw gives the reservation back, so the
      // asset service finds nothing to settle the fill from.
      const order = await get(id)
      const bus = await createPgLogBus({ url: p.busUrl })
      t.after(() => bus.close())
      const codec = createEventCodec()
      const stray = newEnvelope('OrderCancelled', {
        orderId: id,
        customerId: ada.id,
        assetName: 'AAPL',
        side: 'BUY',
        price: order.price,
        cancelledSize: 2,
        reason: 'REQUESTED',
        cancelledAt: new Date().toISOString(),
      })
      await bus.publish([{ topic: 'order.events', key: stray.key, value: await codec.encode(stray) }])
      await settledBalances(ada.id)

      assert.equal((await p.api('POST', `/api/orders/${id}/match`, { token: admin })).status, 202)
      const failed = await orderStatus(p, admin, id, ['FAILED'])
      assert.equal(failed.rejectionReason, 'SETTLEMENT_REJECTED')
      assert.equal(failed.filledSize, 0)
      assert.deepEqual(await trades(id), [])
      const after = await settledBalances(ada.id)
      assert.deepEqual([pair(after, 'TRY'), pair(after, 'AAPL')], [pair(before, 'TRY'), pair(before, 'AAPL')])
      await assertConserved()
    },
  )
})
