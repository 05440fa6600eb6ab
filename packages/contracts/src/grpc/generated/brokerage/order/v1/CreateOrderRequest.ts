// Original file: proto/order.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { Side as _brokerage_common_v1_Side, Side__Output as _brokerage_common_v1_Side__Output } from '../../../brokerage/common/v1/Side.js';
import type { Long } from '@grpc/proto-loader';

export interface CreateOrderRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'idempotency_key'?: (string);
  'customer_id'?: (string);
  'asset_name'?: (string);
  'side'?: (_brokerage_common_v1_Side);
  'size'?: (number | string | Long);
  'price'?: (number | string | Long);
  'wait_ms'?: (number);
}

export interface CreateOrderRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'idempotency_key': (string);
  'customer_id': (string);
  'asset_name': (string);
  'side': (_brokerage_common_v1_Side__Output);
  'size': (number);
  'price': (number);
  'wait_ms': (number);
}
