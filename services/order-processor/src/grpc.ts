import { ASSET_NAME, ASSET_NAME_RULE, CASH_ASSET, newEnvelope } from '@brokerage/contracts'
import { fieldErrors, type Db, type EventEnvelope, type FieldErrors, type GrpcHandlers, type Outbox } from '@brokerage/platform'
import { depth } from './engine/book.js'
import type { createBookStore, createMarketStore, MarketRow } from './store.js'

// brokerage.processor.v1.ProcessorService: market settings and order book depth.

function checkAsset(problems: FieldErrors, value: unknown) {
  if (typeof value !== 'string' || !ASSET_NAME.test(value)) problems.add('asset_name', `must be ${ASSET_NAME_RULE}`)
  else if (value === CASH_ASSET) problems.add('asset_name', `${CASH_ASSET} is the cash asset and has no market`)
}

const toMarket = (m: MarketRow) => ({ asset_name: m.assetName, crossing: m.crossing, updated_at: m.updatedAt.toISOString() })

export function createProcessorGrpc(deps: {
  db: Db
  books: ReturnType<typeof createBookStore>
  markets: ReturnType<typeof createMarketStore>
  outbox: Outbox
  now: () => Date
}): GrpcHandlers<'processor'> {
  const { db, books, markets, outbox, now } = deps
  return {
    async ListMarkets() {
      return { markets: (await markets.list(db)).map(toMarket) }
    },

    async SetMarket(req) {
      const problems = fieldErrors()
      checkAsset(problems, req.asset_name)
      // Recorded as changedBy: who changed a market is part of the audit trail.
      if (!req.actor?.subject) problems.add('actor.subject', 'is required')
      problems.done()
      const at = now()
      return db.tx(async (tx) => {
        const market = await markets.set(tx, { assetName: req.asset_name, crossing: req.crossing, changedBy: req.actor!.subject, at })
        // The engine applies it when this reaches its input, between two orders, never during one.
        const changed = newEnvelope(
          'MarketSettingsChanged',
          { assetName: req.asset_name, crossing: req.crossing, changedBy: req.actor!.subject, changedAt: at.toISOString() },
          { correlationId: req.actor!.request_id || undefined, now: at },
        )
        await outbox.add(tx, changed as EventEnvelope)
        return toMarket(market)
      })
    },

    async GetOrderBook(req) {
      const problems = fieldErrors()
      checkAsset(problems, req.asset_name)
      if (!Number.isInteger(req.depth) || req.depth < 0) problems.add('depth', 'must be 0 (every level) or more')
      problems.done()
      const book = await books.read(db, req.asset_name)
      const levels = book ? depth(book, req.depth) : { bids: [], asks: [] }
      return { asset_name: req.asset_name, ...levels, as_of: now().toISOString() }
    },
  }
}
