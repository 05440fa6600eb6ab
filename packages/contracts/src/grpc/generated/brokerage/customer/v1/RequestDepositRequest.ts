// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { Long } from '@grpc/proto-loader';

export interface RequestDepositRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'idempotency_key'?: (string);
  'customer_id'?: (string);
  'asset_name'?: (string);
  'amount'?: (number | string | Long);
}

export interface RequestDepositRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'idempotency_key': (string);
  'customer_id': (string);
  'asset_name': (string);
  'amount': (number);
}
