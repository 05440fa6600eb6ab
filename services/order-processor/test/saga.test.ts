import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { newEnvelope, type AnyEnvelope, type Envelope, type EventData, type EventType } from '@brokerage/contracts'
import { serviceUnderTest } from '@brokerage/platform/testing'
import { startOrderProcessorService } from '../src/app.js'
import { confirmedOrder } from './commands.js'

// The settlement saga in the order-processor: trades the engine makes are followed until the
// asset service answers (SettlementCompleted), refuses (OrderFailed, SETTLEMENT_REJECTED), or
// says nothing for too long (OrderFailed, SETTLEMENT_TIMEOUT); a failed order leaves the book.

const TIMEOUT_MS = 5_000

async function setup(t: TestContext) {
  let offset = 0
  const now = () => new Date(Date.now() + offset)
  const sut = await serviceUnderTest(t, { name: 'processor', outputs: ['processor.events', 'trade.events', 'engine.commands'] })
  const svc = await sut.start((config) =>
    startOrderProcessorService({ config, now, settlementTimeoutMs: TIMEOUT_MS, settlementSweepIntervalMs: 0 }),
  )
  const client = sut.client(svc, 'processor', 'order-processor')
  const send = async <T extends EventType>(type: T, data: EventData<T>) => {
    const e = newEnvelope(type, data)
    await sut.publish(e as AnyEnvelope)
    return e
  }
  return {
    svc,
    send,
    call: client.call,
    next: <T extends EventType>(type: T, where: Record<string, unknown> = {}): Promise<Envelope<T>> => sut.next(type, where),
    emitted: sut.emitted,
    advance: (ms: number) => void (offset += ms),
  }
}

const confirmed = confirmedOrder

const matchOf = (o: EventData<'OrderConfirmed'>): EventData<'MatchRequested'> => ({
  orderId: o.orderId,
  customerId: o.customerId,
  assetName: o.assetName,
  requestedBy: 'admin',
  requestedAt: new Date().toISOString(),
})

function transferred(trade: EventData<'OrderMatched'>, side: 'BUY' | 'SELL'): EventData<'AssetTransferred'> {
  const leg = side === 'BUY' ? trade.buy! : trade.sell!
  return {
    tradeId: trade.tradeId,
    orderId: leg.orderId,
    customerId: leg.customerId,
    assetName: trade.assetName,
    side,
    size: trade.size,
    price: trade.price,
    changes: [],
    transferredAt: new Date().toISOString(),
  }
}

test('when the asset service settles a crossing trade, then each order gets SettlementCompleted with what is filled and left', async (t) => {
  const h = await setup(t)
  await h.send('MarketSettingsChanged', { assetName: 'THYAO', crossing: true, changedBy: 'admin', changedAt: new Date().toISOString() })
  const sell = confirmed({ side: 'SELL', size: 4, price: 24_000 })
  const buy = confirmed({ side: 'BUY', size: 10, price: 25_000 })
  await h.send('OrderConfirmed', sell)
  await h.send('OrderConfirmed', buy)
  const trade = (await h.next('OrderMatched')).data
  assert.deepEqual([trade.price, trade.size, trade.buy?.orderId, trade.sell?.orderId], [24_000, 4, buy.orderId, sell.orderId])

  await h.send('AssetTransferred', transferred(trade, 'BUY'))
  await h.send('AssetTransferred', transferred(trade, 'SELL'))
  const forBuy = await h.next('SettlementCompleted', { orderId: buy.orderId })
  const forSell = await h.next('SettlementCompleted', { orderId: sell.orderId })
  assert.deepEqual([forBuy.key, forBuy.data.filledSize, forBuy.data.remainingSize, forBuy.data.price], [buy.customerId, 4, 6, 24_000])
  assert.deepEqual([forSell.data.filledSize, forSell.data.remainingSize], [4, 0])

  // A second copy of the answer settles nothing twice.
  await h.send('AssetTransferred', transferred(trade, 'BUY'))
  const again = await h.send('OrderConfirmed', confirmed({ assetName: 'PROBE' }))
  await h.next('OrderConfirmed', { orderId: again.data.orderId })
  assert.equal((await h.emitted()).filter((e) => e.type === 'SettlementCompleted').length, 2)
})

test('when the asset service refuses a trade, then both orders fail and leave the book through the engine', async (t) => {
  const h = await setup(t)
  await h.send('MarketSettingsChanged', { assetName: 'THYAO', crossing: true, changedBy: 'admin', changedAt: new Date().toISOString() })
  const sell = confirmed({ side: 'SELL', size: 4, price: 24_000 })
  const buy = confirmed({ side: 'BUY', size: 10, price: 25_000 })
  await h.send('OrderConfirmed', sell)
  await h.send('OrderConfirmed', buy)
  const trade = (await h.next('OrderMatched')).data

  await h.send('AssetTransferFailed', {
    tradeId: trade.tradeId,
    orderId: sell.orderId,
    customerId: sell.customerId,
    assetName: 'THYAO',
    reason: 'INSUFFICIENT_RESERVATION',
    failedAt: new Date().toISOString(),
  })
  const failedBuy = await h.next('OrderFailed', { orderId: buy.orderId })
  const failedSell = await h.next('OrderFailed', { orderId: sell.orderId })
  assert.deepEqual([failedBuy.data.reason, failedBuy.data.tradeId, failedBuy.data.filledSize], ['SETTLEMENT_REJECTED', trade.tradeId, 0])
  assert.equal(failedSell.data.reason, 'SETTLEMENT_REJECTED')
  // The buyer's remainder (6) was resting: the engine takes it off and says so.
  const removed = await h.next('OrderRemovedFromBook', { orderId: buy.orderId })
  assert.equal(removed.data.remainingSize, 6)
  assert.deepEqual((await h.call('GetOrderBook', { asset_name: 'THYAO' })).bids, [])
})

test('when a match-command trade is never answered, then past the timeout the order fails; a late settlement still records the fill', async (t) => {
  const h = await setup(t)
  const order = confirmed({ side: 'SELL', size: 3, price: 10_000 })
  await h.send('OrderConfirmed', order)
  await h.send('MatchRequested', matchOf(order))
  const trade = (await h.next('OrderMatched')).data
  assert.deepEqual([trade.buy, trade.sell?.orderId, trade.trigger], [null, order.orderId, 'MATCH_REQUEST'])

  assert.equal(await h.svc.sweepSettlements(), 0, 'not yet due')
  h.advance(TIMEOUT_MS + 1)
  assert.equal(await h.svc.sweepSettlements(), 1)
  const failed = await h.next('OrderFailed', { orderId: order.orderId })
  assert.deepEqual([failed.key, failed.data.reason, failed.data.tradeId], [order.customerId, 'SETTLEMENT_TIMEOUT', trade.tradeId])
  assert.equal(await h.svc.sweepSettlements(), 0, 'failed once')

  await h.send('AssetTransferred', transferred(trade, 'SELL'))
  const late = await h.next('SettlementCompleted', { orderId: order.orderId })
  assert.deepEqual([late.data.filledSize, late.data.remainingSize], [3, 0])
})

test('when a settlement times out and then arrives late, then its saga is measured once, as SETTLEMENT_TIMEOUT, from the match', async (t) => {
  const h = await setup(t)
  const sagas = async () => {
    const { values } = await h.svc.runtime.metrics.registry.getSingleMetric('saga_duration_seconds')!.get()
    // A histogram's values carry their series' name (_bucket, _sum, _count); the registry's lookup types them as any metric's.
    return (values as Array<(typeof values)[number] & { metricName?: string }>)
      .filter((v) => v.labels.saga === 'order_settlement' && (v.metricName?.endsWith('_count') || v.metricName?.endsWith('_sum')))
      .map((v) => [v.metricName, v.labels.outcome, v.value])
  }
  const order = confirmed({ side: 'SELL', size: 3, price: 10_000 })
  await h.send('OrderConfirmed', order)
  await h.send('MatchRequested', matchOf(order))
  const trade = (await h.next('OrderMatched')).data
  assert.deepEqual(await sagas(), [])

  h.advance(TIMEOUT_MS + 1)
  assert.equal(await h.svc.sweepSettlements(), 1)
  const measured = await sagas()
  const of = (name: string) => measured.find(([metric]) => metric === `saga_duration_seconds_${name}`)
  assert.deepEqual(of('count'), ['saga_duration_seconds_count', 'SETTLEMENT_TIMEOUT', 1])
  assert.ok((of('sum')![2] as number) >= TIMEOUT_MS / 1000, `${of('sum')![2]} s from the match`)

  await h.send('AssetTransferred', transferred(trade, 'SELL'))
  await h.next('SettlementCompleted', { orderId: order.orderId })
  assert.deepEqual(await sagas(), measured, 'the late settlement ends no second saga')
})
