import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { AppError, createGrpcClient, grpcService } from '@brokerage/platform'
import { startPlatform } from './harness.js'
import { createCustomer } from './helpers.js'

// One vocabulary: the gateway checks an asset name with the order service's own rule, so a
// name is refused at the door exactly when the service behind it would refuse it.

const NAMES = ['AAPL', 'XU030', 'AB', 'ABCDEFGHIJKL', 'A', 'ABCDEFGHIJKLM', '1ABC', 'aapl', 'BRK.B', 'A-B', 'ÄPL', ' AAPL', '', 'TRY']

test('when an order names an asset, then the gateway refuses exactly the names the order service refuses', async (t) => {
  const p = await startPlatform(t)
  const admin = await p.login('admin', 'admin')
  const c = await createCustomer(p, admin)
  const order = p.services.find((s) => s.spec.name === 'order')!
  const client = createGrpcClient(grpcService('order'), order.grpcAddress!, { tls: p.grpcTls() })
  t.after(() => client.close())

  const byGateway: Record<string, boolean> = {}
  const byService: Record<string, boolean> = {}
  for (const name of NAMES) {
    const res = await p.api('POST', '/api/orders', {
      token: admin,
      body: { customerId: c.id, assetName: name, side: 'SELL', size: 1, price: 100 },
    })
    assert.ok([202, 400].includes(res.status), `${JSON.stringify(name)}: ${res.status} ${JSON.stringify(res.body)}`)
    // Its own refusal names the body field; a refusal passed on from the order service does not.
    byGateway[name] = res.status === 400 && Boolean(res.body.error?.details?.some((d: { field: string }) => d.field === 'body.assetName'))

    byService[name] = await client
      .call('CreateOrder', {
        actor: { subject: 'admin', role: 'ADMIN', request_id: randomUUID() },
        customer_id: c.id,
        asset_name: name,
        side: 'SELL',
        size: 1,
        price: 100,
      })
      .then(
        () => false,
        (err: unknown) => {
          assert.ok(err instanceof AppError && err.code === 'VALIDATION_FAILED', `${JSON.stringify(name)}: ${String(err)}`)
          return true
        },
      )
  }
  assert.deepEqual(byGateway, byService)
  assert.deepEqual(
    NAMES.filter((n) => !byService[n]),
    ['AAPL', 'XU030', 'AB', 'ABCDEFGHIJKL'],
  )
})
