// Its own file (so its own process): initTracing registers globals once per process.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import type { GetOrderBookRequest__Output, OrderBook__Output } from '@brokerage/contracts/grpc'
import { AppError } from '../errors.js'
import { createLogger, withLogContext } from '../observability/log.js'
import { initTracing, withTraceparent } from '../observability/tracing.js'
import { createGrpcClient } from './client.js'
import { grpcService } from './load.js'
import { createGrpcServer, type CallContext, type GrpcHandlers } from './server.js'

await initTracing({ service: 'grpc-test' })

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'

/** A processor service on a real gRPC server with typed handlers, and a typed client of it. */
async function serve(t: TestContext, handlers: Partial<GrpcHandlers<'processor'>> = {}) {
  const seen: Array<{ request: unknown; ctx: CallContext }> = []
  const server = createGrpcServer({ log: createLogger({ service: 'grpc-test', level: 'silent' }) })
  server.addService(grpcService('processor'), {
    async ListMarkets() {
      return { markets: [{ asset_name: 'THYAO', crossing: true }] }
    },
    async SetMarket() {
      throw new AppError('FORBIDDEN', 'admins only', { details: { role: 'CUSTOMER' } })
    },
    async GetOrderBook(request, ctx) {
      seen.push({ request, ctx })
      return { asset_name: request.asset_name, bids: [{ price: 25_000, size: 15, orders: 2 }], as_of: '2025-01-31T09:30:00.000Z' }
    },
    ...handlers,
  })
  const port = await server.listen(0)
  const client = createGrpcClient(grpcService('processor'), `127.0.0.1:${port}`, 'order-processor')
  t.after(async () => {
    client.close()
    await server.stop(100)
  })
  return { client, seen }
}

test('when a typed client calls a typed server, then the answer arrives as the __Output type with defaults filled in', async (t) => {
  const { client, seen } = await serve(t)
  const book: OrderBook__Output = await client.call('GetOrderBook', { asset_name: 'THYAO' })
  assert.deepEqual(book, {
    asset_name: 'THYAO',
    bids: [{ price: 25_000, size: 15, orders: 2 }],
    asks: [],
    as_of: '2025-01-31T09:30:00.000Z',
  })
  const request: GetOrderBookRequest__Output = { asset_name: 'THYAO', depth: 0 }
  assert.deepEqual(seen[0]!.request, request)
  assert.deepEqual(await client.call('ListMarkets', {}), { markets: [{ asset_name: 'THYAO', crossing: true, updated_at: '' }] })
})

test('when a call is made in a request and a trace, then the server sees the same request id and trace', async (t) => {
  const { client, seen } = await serve(t)
  await withTraceparent(`00-${TRACE_ID}-00f067aa0ba902b7-01`, () =>
    withLogContext({ requestId: 'req-42' }, () => client.call('GetOrderBook', { asset_name: 'THYAO' })),
  )
  assert.equal(seen[0]!.ctx.requestId, 'req-42')
  assert.match(String(seen[0]!.ctx.metadata.get('traceparent')[0]), new RegExp(`^00-${TRACE_ID}-`))
})

test('when the server raises an AppError, then the client rethrows it with its code, message and details', async (t) => {
  const { client } = await serve(t)
  const err = await client.call('SetMarket', { asset_name: 'THYAO', crossing: true }).then(
    () => assert.fail('SetMarket answered'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AppError)
  assert.deepEqual(
    { code: err.code, message: err.message, details: err.details },
    {
      code: 'FORBIDDEN',
      message: 'admins only',
      details: { role: 'CUSTOMER' },
    },
  )
})

test('when the server does not answer before the deadline, then the call fails with TIMEOUT', async (t) => {
  let release = () => {}
  const { client } = await serve(t, {
    GetOrderBook: () => new Promise((resolve) => (release = () => resolve({ asset_name: 'THYAO' }))),
  })
  t.after(() => release())
  const err = await client.call('GetOrderBook', { asset_name: 'THYAO' }, { deadlineMs: 50 }).then(
    () => assert.fail('answered'),
    (e: unknown) => e,
  )
  assert.ok(err instanceof AppError)
  assert.equal(err.code, 'TIMEOUT')
  assert.match(err.message, /order-processor did not answer in time/)
})

test('when a method or a request field is not in the proto, then the call does not compile', async (t) => {
  const { client } = await serve(t)
  // @ts-expect-error: the processor has no GetOrderBooks
  await assert.rejects(client.call('GetOrderBooks', { asset_name: 'THYAO' }), /order-processor has no method GetOrderBooks/)
  // @ts-expect-error: GetOrderBookRequest has asset_name, not assetName
  const book = await client.call('GetOrderBook', { assetName: 'THYAO' })
  // @ts-expect-error: an OrderBook has no price
  assert.equal(book.price, undefined)
})
