import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import * as json from '../json.js'
import { actorOf } from '../request-context.js'
import { assetParams, body, marketJson, orderBookJson, query, responses } from '../schemas.js'
import { doc, type RouteDeps } from './deps.js'

const ADMIN = ['ADMIN'] as const

type SetMarket = { Params: { assetName: string }; Body: { crossing: boolean } }
type GetOrderBook = { Params: { assetName: string }; Querystring: { depth?: number } }

export function marketRoutes({ clients }: RouteDeps): FastifyPluginAsync {
  return async (api) => {
    api.get('/markets', { schema: schemas.listMarkets }, listMarkets)
    api.put<SetMarket>('/markets/:assetName', { config: { roles: ADMIN }, schema: schemas.setMarket }, setMarket)
    api.get<GetOrderBook>('/orderbook/:assetName', { schema: schemas.getOrderBook }, getOrderBook)
  }

  async function listMarkets() {
    const res = await clients.call('processor', 'ListMarkets', {})
    return res.markets.map(json.market)
  }

  async function setMarket(req: FastifyRequest<SetMarket>) {
    const m = await clients.call('processor', 'SetMarket', {
      actor: actorOf(req),
      asset_name: req.params.assetName,
      crossing: req.body.crossing,
    })
    return json.market(m)
  }

  async function getOrderBook(req: FastifyRequest<GetOrderBook>) {
    const b = await clients.call('processor', 'GetOrderBook', {
      asset_name: req.params.assetName,
      depth: req.query.depth ?? 0,
    })
    return json.orderBook(b)
  }
}

const schemas = {
  listMarkets: {
    ...doc('markets', 'Per-asset market settings'),
    // Closed like every other query: an unknown parameter is a mistake, not a filter ignored.
    querystring: query({}),
    response: responses(200, { type: 'array', items: marketJson }, 'Markets'),
  },
  setMarket: {
    ...doc('markets', 'Turn crossing (orders trading against each other) on or off for an asset', { roles: ADMIN }),
    params: assetParams,
    body: body({ crossing: { type: 'boolean' } }, ['crossing']),
    response: responses(200, marketJson, 'The market'),
  },
  getOrderBook: {
    ...doc('markets', 'Order book depth by price level'),
    params: assetParams,
    querystring: query({
      depth: { type: 'integer', minimum: 1, maximum: 1000, description: 'Price levels per side; all when omitted' },
    }),
    response: responses(200, orderBookJson, 'Bids best (highest) first, asks best (lowest) first'),
  },
}
