// Its own file (so its own process): initTracing registers globals once per process.
import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { TLSSocket } from 'node:tls'
import type { GetOrderBookRequest__Output, OrderBook__Output } from '@brokerage/contracts/grpc'
import { AppError } from '../errors.js'
import { eventually, failure } from '../testing.js'
import { createLogger, withLogContext } from '../observability/log.js'
import { initTracing, withTraceparent } from '../observability/tracing.js'
import { createGrpcClient } from './client.js'
import { grpcService } from './load.js'
import { createGrpcServer, type CallContext, type GrpcHandlers } from './server.js'
import { createMetrics } from '../observability/metrics.js'
import { testCertificateAuthority, testGrpcTls } from '../testing.js'
import { createCertificateAuthority } from './certs.js'
import type { GrpcTls, GrpcTlsSetting } from './tls.js'

await initTracing({ service: 'grpc-test' })

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'

/** A processor service on a real gRPC server with typed handlers, and a typed client of it. */
async function serve(t: TestContext, handlers: Partial<GrpcHandlers<'processor'>> = {}, tls: GrpcTlsSetting = testGrpcTls()) {
  const seen: Array<{ request: unknown; ctx: CallContext }> = []
  const metrics = createMetrics({ service: 'grpc-test', defaultMetrics: false })
  const server = createGrpcServer({ log: createLogger({ service: 'grpc-test', level: 'silent' }), metrics, tls })
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
  const address = `127.0.0.1:${port}`
  const clients: Array<{ close(): void }> = []
  /** A client of the server with another TLS identity (closed when the test ends). */
  const clientWith = (clientTls: GrpcTlsSetting, label = 'order-processor') => {
    const c = createGrpcClient(grpcService('processor'), address, { tls: clientTls, label })
    clients.push(c)
    return c
  }
  const client = clientWith(testGrpcTls())
  t.after(async () => {
    for (const c of clients) c.close()
    await server.stop(100)
  })
  return { client, seen, clientWith, metrics }
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

/** A certificate named `name` of the given CA, as a client's TLS setting. */
function identity(name: string, ca = testCertificateAuthority()): GrpcTls {
  const issued = ca.issue(name)
  // The CA a client trusts is the platform's: only its own certificate may come from elsewhere.
  return { ca: testGrpcTls().ca, cert: Buffer.from(issued.cert), key: Buffer.from(issued.key) }
}

/** The server counted a refused handshake (it may learn of it a moment after the client). */
async function handshakeRefused(metrics: ReturnType<typeof createMetrics>) {
  await eventually(async () => (await counterValue(metrics, 'grpc_tls_handshake_failures_total')) >= 1, {
    what: 'the refused handshake to be counted',
  })
}

async function counterValue(metrics: ReturnType<typeof createMetrics>, name: string): Promise<number> {
  const m = await metrics.registry.getSingleMetric(name)?.get()
  return m?.values.reduce((s, v) => s + v.value, 0) ?? 0
}

test('when a client calls over plaintext, then the mutual TLS server refuses it and counts a failed handshake', async (t) => {
  const { clientWith, metrics } = await serve(t)
  const err = await failure(clientWith('off').call('ListMarkets', {}, { deadlineMs: 2_000 }))
  assert.equal(err.code, 'UNAVAILABLE')
  await handshakeRefused(metrics)
})

test('when a client shows no certificate, then the handshake is refused', async (t) => {
  const { clientWith, metrics } = await serve(t)
  const tls = testGrpcTls()
  // Trusts the server, but brings no certificate of its own.
  const anonymous = { ca: tls.ca, cert: undefined, key: undefined } as unknown as GrpcTls
  const err = await failure(clientWith(anonymous).call('ListMarkets', {}, { deadlineMs: 2_000 }))
  assert.equal(err.code, 'UNAVAILABLE')
  await handshakeRefused(metrics)
})

test('when a client shows a certificate of another CA, then the handshake is refused', async (t) => {
  const { clientWith, metrics } = await serve(t)
  const stranger = identity('gateway', createCertificateAuthority('Someone else'))
  const err = await failure(clientWith(stranger).call('ListMarkets', {}, { deadlineMs: 2_000 }))
  assert.equal(err.code, 'UNAVAILABLE')
  await handshakeRefused(metrics)
})

test('when the server shows a certificate of another name than the service called, then the client refuses it', async (t) => {
  const { clientWith } = await serve(t, {}, identity('asset'))
  const err = await failure(clientWith(testGrpcTls(), 'order-processor').call('ListMarkets', {}, { deadlineMs: 2_000 }))
  assert.equal(err.code, 'UNAVAILABLE')
})

test('when only the gateway may call a service, then the gateway is served and another platform service is refused with FORBIDDEN', async (t) => {
  const { clientWith, metrics } = await serve(t, {}, { ...testGrpcTls(), allowedCallers: ['gateway'] })
  assert.deepEqual(await clientWith(identity('gateway')).call('ListMarkets', {}), {
    markets: [{ asset_name: 'THYAO', crossing: true, updated_at: '' }],
  })
  const err = await failure(clientWith(identity('asset')).call('ListMarkets', {}))
  assert.deepEqual({ code: err.code, message: err.message }, { code: 'FORBIDDEN', message: 'asset may not call processor' })
  assert.equal(await counterValue(metrics, 'grpc_callers_refused_total'), 1)
})

test('when an allowed caller makes several calls on one connection, then the server reads its certificate once', async (t) => {
  // A spy on the server's side of the sockets: Node builds the certificate (and hashes it) on every read.
  const original = TLSSocket.prototype.getPeerCertificate
  let serverReads = 0
  TLSSocket.prototype.getPeerCertificate = function (this: TLSSocket & { server?: unknown }, ...args: [boolean?]) {
    if (this.server) serverReads++
    return original.apply(this, args as [true])
  } as TLSSocket['getPeerCertificate']
  t.after(() => (TLSSocket.prototype.getPeerCertificate = original))
  const { clientWith } = await serve(t, {}, { ...testGrpcTls(), allowedCallers: ['gateway'] })
  const gateway = clientWith(identity('gateway'))
  for (let i = 0; i < 5; i++) assert.equal((await gateway.call('ListMarkets', {})).markets.length, 1)
  assert.equal(serverReads, 1)
  // Another connection is another caller: its own certificate decides.
  const err = await failure(clientWith(identity('asset')).call('ListMarkets', {}))
  assert.equal(err.code, 'FORBIDDEN')
  assert.equal(serverReads, 2)
})

test('when a server is given no TLS settings, then it refuses to listen rather than serve plaintext', async () => {
  const server = createGrpcServer({ log: createLogger({ service: 'grpc-test', level: 'silent' }) })
  await assert.rejects(server.listen(0), /GRPC_TLS=off for plaintext/)
})
