import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { describe, test } from 'node:test'
import { PROTO_DIR, PROTO_LOADER_OPTIONS, PROTO_NAMES, loadProto } from './proto.js'
import { GRPC_SERVICES } from './services.js'

interface MethodDefinition {
  requestSerialize(value: unknown): Buffer
  requestDeserialize(bytes: Buffer): Record<string, unknown>
}

const SERVICES: Record<string, [string, string[]]> = {
  identity: ['brokerage.identity.v1.IdentityService', ['Authenticate']],
  customer: [
    'brokerage.customer.v1.CustomerService',
    [
      'CreateCustomer',
      'GetCustomer',
      'ListCustomers',
      'SetTier',
      'SetStatus',
      'AssignBroker',
      'RequestDeposit',
      'RequestWithdrawal',
      'ListMovements',
    ],
  ],
  asset: ['brokerage.asset.v1.AssetService', ['ListBalances']],
  order: ['brokerage.order.v1.OrderService', ['CreateOrder', 'GetOrder', 'ListOrders', 'CancelOrder', 'MatchOrder', 'ListTrades']],
  processor: ['brokerage.processor.v1.ProcessorService', ['ListMarkets', 'SetMarket', 'GetOrderBook']],
  notification: ['brokerage.notification.v1.NotificationService', ['ListNotifications', 'GetPreferences', 'SetPreferences']],
  audit: ['brokerage.audit.v1.AuditService', ['ListEvents', 'GetComplianceReport', 'GetAnalytics']],
}

describe('protos', () => {
  test('when every proto file is listed, then PROTO_NAMES names exactly those', () => {
    const files = readdirSync(PROTO_DIR)
      .filter((file) => file.endsWith('.proto'))
      .map((file) => file.replace(/\.proto$/, ''))
    assert.deepEqual([...files].sort(), [...PROTO_NAMES].sort())
  })

  test('when every proto is loaded, then each service offers the calls the gateway needs', () => {
    for (const name of PROTO_NAMES) {
      const definition = loadProto(name)
      const expected = SERVICES[name]
      if (!expected) continue
      const [service, methods] = expected
      const methodsOf = definition[service] as Record<string, unknown> | undefined
      assert.ok(methodsOf, `${service} missing from ${name}.proto`)
      for (const method of methods) assert.ok(methodsOf[method], `${service}.${method}`)
    }
  })

  test('when each service of GRPC_SERVICES is looked up in its proto, then it is there', () => {
    for (const [name, { proto, fullName }] of Object.entries(GRPC_SERVICES)) {
      assert.ok(loadProto(proto)[fullName], `${name}: ${fullName} missing from ${proto}.proto`)
    }
  })

  test('when a request is deserialized, then int64 is a number, enums are names and absent fields are defaults', () => {
    const createOrder = (loadProto('order')['brokerage.order.v1.OrderService'] as Record<string, MethodDefinition>)['CreateOrder']
    assert.ok(createOrder)
    const bytes = createOrder.requestSerialize({ customer_id: 'c', side: 'BUY', size: 10, price: 9_007_199_254_740_000 })
    const request = createOrder.requestDeserialize(bytes)
    assert.equal(request['customer_id'], 'c')
    assert.equal(request['side'], 'BUY')
    assert.equal(request['size'], 10)
    assert.equal(request['price'], 9_007_199_254_740_000)
    assert.equal(request['idempotency_key'], '')
    assert.equal(request['wait_ms'], 0)
    assert.equal(PROTO_LOADER_OPTIONS.longs, Number)
  })

  test('when an int64 beyond the safe range arrives, then it shows as an unsafe number a server can refuse', () => {
    const createOrder = (loadProto('order')['brokerage.order.v1.OrderService'] as Record<string, MethodDefinition>)['CreateOrder']
    assert.ok(createOrder)
    const request = createOrder.requestDeserialize(createOrder.requestSerialize({ price: '9007199254740993' }))
    assert.equal(Number.isSafeInteger(request['price']), false)
  })
})
