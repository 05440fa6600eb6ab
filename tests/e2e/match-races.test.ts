import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { startPlatform, type ApiResponse } from './harness.js'
import { balances, createCustomer, deposit, orderStatus, until, type Balance } from './helpers.js'

// The match command's idempotency and the engine's decisions that depend on arrival: tier
// priority within one price and one timestamp, and a cancel racing a fill (both outcomes).
// The races are provoked, not hoped for: a consumer is held by a lock on its inbox table
// (every consumer transaction writes its inbox row first), the competing requests are made
// while it waits, and their order on the engine's partition is the order they committed in.

type Balances = Record<string, Balance>
const pair = (b: Balances, asset: string) => [b[asset]?.size ?? 0, b[asset]?.usableSize ?? 0]

test('match idempotency, tier priority and cancel racing a fill, through the gateway on real processes', async (t) => {
  // Registered before the platform's own cleanup so that, should a test fail, a held consumer is
  // let go before the services are asked to stop.
  const holds: Array<() => Promise<void>> = []
  t.after(async () => {
    for (const release of holds.splice(0)) await release()
  })
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const ada = await createCustomer(p, admin, { name: 'Ada' })
  const vip = await createCustomer(p, admin, { name: 'Vera', tier: 'VIP' })
  const std = await createCustomer(p, admin, { name: 'Stan', tier: 'STANDARD' })
  const seller = await createCustomer(p, admin, { name: 'Sam' })
  for (const c of [ada, vip, std]) await deposit(p, admin, c.id, 1_000_000)
  for (const asset of ['TIE', 'RACE']) await deposit(p, admin, seller.id, 100, asset)

  const place = async (customerId: string, assetName: string, side: 'BUY' | 'SELL', size: number, price: number) => {
    const res = await p.api('POST', '/api/orders', {
      token: admin,
      body: { customerId, assetName, side, size, price },
      headers: { prefer: 'wait=10' },
    })
    assert.ok(['CONFIRMED', 'PARTIALLY_FILLED', 'MATCHED'].includes(res.body.status), JSON.stringify(res.body))
    return res.body.id as string
  }
  const match = (id: string, headers: Record<string, string> = {}) => p.api('POST', `/api/orders/${id}/match`, { token: admin, headers })
  const trades = async (id: string) => (await p.api('GET', `/api/orders/${id}/trades`, { token: admin })).body as unknown[]
  const of = (id: string) => balances(p, admin, id)
  /** Waits until the asset service holds nothing for the customer beyond `held` (per asset). */
  const settledBalances = (id: string, held: Record<string, number> = {}) =>
    until(
      `balances of ${id} to settle`,
      () => of(id),
      (b) => Object.values(b).every((x) => x.size - x.usableSize === (held[x.assetName] ?? 0)),
    )
  const bookOf = (asset: string, ok: (b: { bids: Level[]; asks: Level[] }) => boolean) =>
    until(`the ${asset} book`, async () => (await p.api('GET', `/api/orderbook/${asset}`, { token: admin })).body, ok)
  const crossingOn = async (asset: string) => {
    assert.equal((await p.api('PUT', `/api/markets/${asset}`, { token: admin, body: { crossing: true } })).status, 200)
    const engine = p.db('order-processor')
    await until(
      `crossing on ${asset} to reach the engine`,
      async () => (await engine.query('SELECT crossing FROM books WHERE asset_name = $1', [asset])).rows[0]?.crossing,
      (c) => c === true,
    )
  }
  /** Holds a service's consumers (all of its groups) until the returned release is called. */
  const hold = async (db: pg.Pool, then: (tx: pg.PoolClient) => Promise<void> = async () => {}) => {
    const tx = await db.connect()
    tx.on('error', () => {}) // the database is dropped at the end of the test
    await tx.query('BEGIN')
    await tx.query('LOCK TABLE inbox IN EXCLUSIVE MODE')
    let released = false
    const release = async () => {
      if (released) return
      released = true
      await then(tx)
      await tx.query('COMMIT').finally(() => tx.release(true))
    }
    holds.push(release)
    return release
  }
  const assertConserved = async () => assert.deepEqual(await p.conservation(), [])
  /** While the processor is held, both requests are on the bus and the engine's book is as before them. */
  const assertEngineSawNeither = async () => {
    const book = (await p.api('GET', '/api/orderbook/RACE', { token: admin })).body
    assert.deepEqual([book.bids, book.asks], [[{ price: 10_000, size: 5, orders: 1 }], []])
  }

  await t.test(
    'when one match request is sent twice at once and retried with the same Idempotency-Key, then it fills once and every answer agrees',
    async () => {
      const before = await of(ada.id)
      const id = await place(ada.id, 'AAPL', 'BUY', 3, 10_000)
      const headers = { 'idempotency-key': `match-${randomUUID()}` }
      const both = await Promise.all([match(id, headers), match(id, headers)])
      const first = both.find((r) => r.status === 202 && r.headers.get('idempotent-replayed') !== 'true')
      assert.ok(first, `one of the two ran: ${both.map((r) => r.status).join(',')}`)
      const other = both.find((r) => r !== first)!
      // Stripe's semantics: the twin either replays the first answer or is told it is still running.
      if (other.status === 202) assertReplayOf(other, first)
      else assert.deepEqual([other.status, other.body.error.code], [409, 'IDEMPOTENCY_IN_FLIGHT'])

      const o = await orderStatus(p, admin, id, ['MATCHED'])
      assert.equal(o.filledSize, 3)
      const retried = await match(id, headers)
      assertReplayOf(retried, first)
      const fresh = await match(id)
      assert.deepEqual([fresh.status, fresh.body.error.code], [409, 'CONFLICT'], 'a new match of a filled order')
      assert.equal((await p.api('DELETE', `/api/orders/${id}`, { token: admin })).status, 409, 'a MATCHED order has nothing to cancel')

      const requested = o.history.filter((h: { reason: string | null }) => h.reason === 'MATCH_REQUESTED')
      assert.equal(requested.length, 1, 'the order service saw one match request')
      assert.equal((await trades(id)).length, 1)
      const after = await settledBalances(ada.id)
      assert.deepEqual(pair(after, 'TRY'), [pair(before, 'TRY')[0]! - 30_000, pair(before, 'TRY')[1]! - 30_000])
      assert.deepEqual(pair(after, 'AAPL'), [pair(before, 'AAPL')[0]! + 3, pair(before, 'AAPL')[1]! + 3])
      await assertConserved()
    },
  )

  await t.test('when one match request is sent twice at once without a key, then it still fills once', async () => {
    const before = await of(ada.id)
    const id = await place(ada.id, 'AAPL', 'BUY', 2, 10_000)
    const both = await Promise.all([match(id), match(id)])
    // Without a key the two are two requests: each is accepted or refused on the order's state.
    for (const r of both) assert.ok([202, 409].includes(r.status), JSON.stringify(r.body))
    assert.ok(both.some((r) => r.status === 202))
    await orderStatus(p, admin, id, ['MATCHED'])
    assert.equal((await match(id)).status, 409)
    assert.equal((await trades(id)).length, 1)
    const after = await settledBalances(ada.id)
    assert.deepEqual(pair(after, 'TRY'), [pair(before, 'TRY')[0]! - 20_000, pair(before, 'TRY')[1]! - 20_000])
    assert.deepEqual(pair(after, 'AAPL'), [pair(before, 'AAPL')[0]! + 2, pair(before, 'AAPL')[1]! + 2])
    await assertConserved()
  })

  await t.test(
    'when a VIP and a STANDARD order rest at one price with one timestamp, then a crossing order fills the VIP first although it arrived second',
    async () => {
      await crossingOn('TIE')
      const [vipBefore, stdBefore, sellerBefore] = [await of(vip.id), await of(std.id), await of(seller.id)]
      const first = await place(std.id, 'TIE', 'BUY', 5, 10_000)
      await bookOf('TIE', (b) => b.bids[0]?.size === 5)

      // Two requests never reliably share a millisecond, so the timestamp is made equal: the
      // order service is held before it confirms the VIP order (its AssetReserved waits), and
      // in the holding transaction the VIP order takes the STANDARD order's created_at. The
      // engine then books the VIP order second (a later sequence) at the same time.
      const orders = p.db('order')
      const release = await hold(orders, async (tx) => {
        const { rowCount } = await tx.query(
          'UPDATE orders SET created_at = (SELECT created_at FROM orders WHERE id = $1) WHERE id = $2 AND status = $3',
          [first, second, 'PENDING'],
        )
        assert.equal(rowCount, 1, 'the VIP order was still PENDING, so not yet sent to the engine')
      })
      const placed = await p.api('POST', '/api/orders', {
        token: admin,
        body: { customerId: vip.id, assetName: 'TIE', side: 'BUY', size: 5, price: 10_000 },
      })
      assert.deepEqual([placed.status, placed.body.status], [202, 'PENDING'])
      const second = placed.body.id as string
      await release()
      await orderStatus(p, admin, second, ['CONFIRMED'])
      await bookOf('TIE', (b) => b.bids[0]?.orders === 2)
      const { rows } = await orders.query('SELECT count(DISTINCT created_at)::int AS n FROM orders WHERE id = ANY($1)', [[first, second]])
      assert.equal(rows[0].n, 1, 'one timestamp')

      const sell = await place(seller.id, 'TIE', 'SELL', 5, 10_000)
      const [v, s] = [await orderStatus(p, admin, second, ['MATCHED']), await orderStatus(p, admin, sell, ['MATCHED'])]
      assert.deepEqual([v.filledSize, s.filledSize], [5, 5])
      const standard = (await p.api('GET', `/api/orders/${first}`, { token: admin })).body
      assert.deepEqual([standard.status, standard.filledSize], ['CONFIRMED', 0])
      assert.deepEqual(await trades(first), [])
      assert.deepEqual((await p.api('GET', '/api/orderbook/TIE', { token: admin })).body.bids, [{ price: 10_000, size: 5, orders: 1 }])

      const vipAfter = await settledBalances(vip.id)
      assert.deepEqual(pair(vipAfter, 'TRY'), [pair(vipBefore, 'TRY')[0]! - 50_000, pair(vipBefore, 'TRY')[1]! - 50_000])
      assert.deepEqual(pair(vipAfter, 'TIE'), [5, 5])
      const stdAfter = await settledBalances(std.id, { TRY: 50_000 })
      assert.deepEqual(pair(stdAfter, 'TRY'), [pair(stdBefore, 'TRY')[0]!, pair(stdBefore, 'TRY')[1]! - 50_000])
      const sellerAfter = await settledBalances(seller.id)
      assert.deepEqual(pair(sellerAfter, 'TRY'), [pair(sellerBefore, 'TRY')[0]! + 50_000, pair(sellerBefore, 'TRY')[1]! + 50_000])
      assert.deepEqual(pair(sellerAfter, 'TIE'), [pair(sellerBefore, 'TIE')[0]! - 5, pair(sellerBefore, 'TIE')[1]! - 5])

      assert.equal((await p.api('DELETE', `/api/orders/${first}`, { token: admin })).status, 202)
      await orderStatus(p, admin, first, ['CANCELED'])
      assert.deepEqual(pair(await settledBalances(std.id), 'TRY'), pair(stdBefore, 'TRY'))
      await assertConserved()
    },
  )

  await t.test(
    'when a cancel reaches the engine before a crossing order, then the cancel wins: nothing fills and everything is released',
    async () => {
      await crossingOn('RACE')
      const [adaBefore, sellerBefore] = [await settledBalances(ada.id), await settledBalances(seller.id)]
      const buy = await place(ada.id, 'RACE', 'BUY', 5, 10_000)
      await bookOf('RACE', (b) => b.bids[0]?.size === 5)

      const release = await hold(p.db('order-processor'))
      assert.equal((await p.api('DELETE', `/api/orders/${buy}`, { token: admin })).status, 202)
      const sell = await place(seller.id, 'RACE', 'SELL', 5, 10_000)
      await assertEngineSawNeither()
      await release()

      const cancelled = await orderStatus(p, admin, buy, ['CANCELED'])
      assert.equal(cancelled.filledSize, 0)
      const book = await bookOf('RACE', (b) => b.asks.length > 0)
      assert.deepEqual([book.bids, book.asks], [[], [{ price: 10_000, size: 5, orders: 1 }]], 'the SELL rests: nothing to cross')
      assert.equal((await p.api('GET', `/api/orders/${sell}`, { token: admin })).body.status, 'CONFIRMED')
      assert.deepEqual([await trades(buy), await trades(sell)], [[], []])
      const adaAfter = await settledBalances(ada.id)
      assert.deepEqual([pair(adaAfter, 'TRY'), pair(adaAfter, 'RACE')], [pair(adaBefore, 'TRY'), pair(adaBefore, 'RACE')])
      const sellerHeld = await settledBalances(seller.id, { RACE: 5 })
      assert.deepEqual(pair(sellerHeld, 'RACE'), [pair(sellerBefore, 'RACE')[0]!, pair(sellerBefore, 'RACE')[1]! - 5])

      assert.equal((await p.api('DELETE', `/api/orders/${sell}`, { token: admin })).status, 202)
      await orderStatus(p, admin, sell, ['CANCELED'])
      const sellerAfter = await settledBalances(seller.id)
      assert.deepEqual([pair(sellerAfter, 'TRY'), pair(sellerAfter, 'RACE')], [pair(sellerBefore, 'TRY'), pair(sellerBefore, 'RACE')])
      await assertConserved()
    },
  )

  await t.test(
    'when a crossing order reaches the engine before a cancel, then the fill wins: the filled part stays filled and only the remainder is released',
    async () => {
      const [adaBefore, sellerBefore] = [await settledBalances(ada.id), await settledBalances(seller.id)]
      const buy = await place(ada.id, 'RACE', 'BUY', 5, 10_000)
      await bookOf('RACE', (b) => b.bids[0]?.size === 5)

      const release = await hold(p.db('order-processor'))
      const sell = await place(seller.id, 'RACE', 'SELL', 3, 9_000)
      assert.equal((await p.api('DELETE', `/api/orders/${buy}`, { token: admin })).status, 202)
      await assertEngineSawNeither()
      await release()

      await orderStatus(p, admin, sell, ['MATCHED'])
      const cancelled = await until(
        'the BUY to be cancelled with its fill recorded',
        async () => (await p.api('GET', `/api/orders/${buy}`, { token: admin })).body,
        (o) => o.status === 'CANCELED' && o.filledSize === 3,
      )
      assert.equal(cancelled.size, 5)
      const fills = (await trades(buy)) as Array<{ size: number; price: number }>
      assert.deepEqual(
        fills.map((x) => [x.size, x.price]),
        [[3, 10_000]],
        'at the resting BUY’s price',
      )
      assert.deepEqual((await p.api('GET', '/api/orderbook/RACE', { token: admin })).body.bids, [])
      const adaAfter = await settledBalances(ada.id)
      // 3 × 10,000 paid; the 2 × 10,000 remainder came back.
      assert.deepEqual(pair(adaAfter, 'TRY'), [pair(adaBefore, 'TRY')[0]! - 30_000, pair(adaBefore, 'TRY')[1]! - 30_000])
      assert.deepEqual(pair(adaAfter, 'RACE'), [pair(adaBefore, 'RACE')[0]! + 3, pair(adaBefore, 'RACE')[1]! + 3])
      const sellerAfter = await settledBalances(seller.id)
      assert.deepEqual(pair(sellerAfter, 'TRY'), [pair(sellerBefore, 'TRY')[0]! + 30_000, pair(sellerBefore, 'TRY')[1]! + 30_000])
      assert.deepEqual(pair(sellerAfter, 'RACE'), [pair(sellerBefore, 'RACE')[0]! - 3, pair(sellerBefore, 'RACE')[1]! - 3])
      await assertConserved()
    },
  )
})

type Level = { price: number; size: number; orders: number }

function assertReplayOf(replay: ApiResponse, first: ApiResponse) {
  assert.equal(replay.status, first.status)
  assert.equal(replay.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(replay.body, first.body)
}
