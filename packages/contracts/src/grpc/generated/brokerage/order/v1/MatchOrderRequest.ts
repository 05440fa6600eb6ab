// Original file: proto/order.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface MatchOrderRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'id'?: (string);
}

export interface MatchOrderRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'id': (string);
}
