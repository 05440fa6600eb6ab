import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { describeFiles, describeProtos, readPublishedWire, wireProblems, type WireSnapshot } from './wire.js'

/** A proto of one message, one enum and one service, as the snapshot describes it. */
function shape(body: string): WireSnapshot {
  const dir = mkdtempSync(join(tmpdir(), 'wire-'))
  const file = join(dir, 'x.proto')
  writeFileSync(file, `syntax = "proto3";\npackage brokerage.x.v1;\n${body}`)
  return describeFiles([file])
}

const V1 = `
message Order { string id = 1; int64 size = 2; repeated string tags = 3; Side side = 4; }
message GetOrderRequest { string id = 1; }
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; SELL = 2; }
service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); }
`
const published = shape(V1)

describe('gRPC wire compatibility with proto/published/wire.json', () => {
  test('when the protos are checked against the committed snapshot, then nothing breaks a peer built on it', () => {
    assert.deepEqual(wireProblems(readPublishedWire(), describeProtos()), [])
  })

  test('when fields, values, messages and methods are added, then the change is compatible', () => {
    const next = shape(`
message Order { string id = 1; int64 size = 2; repeated string tags = 3; Side side = 4; string note = 5; }
message GetOrderRequest { string id = 1; }
message ListOrdersRequest { int32 page = 1; }
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; SELL = 2; SHORT = 3; }
service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); rpc ListOrders(ListOrdersRequest) returns (Order); }
`)
    assert.deepEqual(wireProblems(published, next), [])
  })

  test('when a field or an enum value is removed and its number reserved, then the change is compatible', () => {
    const next = shape(`
message Order { reserved 2, 3; reserved "size"; string id = 1; Side side = 4; }
message GetOrderRequest { string id = 1; }
enum Side { reserved 2; SIDE_UNSPECIFIED = 0; BUY = 1; }
service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); }
`)
    assert.deepEqual(wireProblems(published, next), [])
  })

  test('when a field number changes type, label or name, or goes without reserved, then each is refused', () => {
    const next = shape(`
message Order { string id = 1; string size = 2; string tags = 3; }
message GetOrderRequest { string order_id = 1; }
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; SELL = 2; }
service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); }
`)
    assert.deepEqual(wireProblems(published, next), [
      'brokerage.x.v1.GetOrderRequest field 1 renamed from id to order_id',
      'brokerage.x.v1.Order field 2 (size) changed from int64 to string',
      'brokerage.x.v1.Order field 3 (tags) changed from repeated string to string',
      'brokerage.x.v1.Order field 4 (side) removed without reserving 4',
    ])
  })

  test('when a message, an enum value, a method or a service disappears, or a reserved number is reused, then each is refused', () => {
    const reserving = shape(`
message Order { reserved 2; string id = 1; repeated string tags = 3; Side side = 4; }
message GetOrderRequest { string id = 1; }
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; SELL = 2; }
service OrderService { rpc GetOrder(GetOrderRequest) returns (Order); }
`)
    const next = shape(`
message Order { string id = 1; repeated string tags = 3; Side side = 4; string size_text = 2; }
enum Side { SIDE_UNSPECIFIED = 0; BUY = 1; }
service OrderQueries { rpc Ping(Order) returns (Order); }
`)
    assert.deepEqual(wireProblems(reserving, next), [
      'message brokerage.x.v1.GetOrderRequest removed',
      'brokerage.x.v1.Order field 2 (size_text) reuses a reserved number',
      'brokerage.x.v1.Side value 2 (SELL) removed without reserving 2',
      'service brokerage.x.v1.OrderService removed',
    ])
    const renamedMethod = shape(V1.replace('rpc GetOrder(GetOrderRequest)', 'rpc FetchOrder(GetOrderRequest)'))
    assert.deepEqual(wireProblems(published, renamedMethod), ['method brokerage.x.v1.OrderService.GetOrder removed'])
    const otherAnswer = shape(V1.replace('returns (Order)', 'returns (GetOrderRequest)'))
    assert.deepEqual(wireProblems(published, otherAnswer), [
      'method brokerage.x.v1.OrderService.GetOrder changed from {"request":"brokerage.x.v1.GetOrderRequest","response":"brokerage.x.v1.Order","requestStream":false,"responseStream":false} to {"request":"brokerage.x.v1.GetOrderRequest","response":"brokerage.x.v1.GetOrderRequest","requestStream":false,"responseStream":false}',
    ])
  })
})
