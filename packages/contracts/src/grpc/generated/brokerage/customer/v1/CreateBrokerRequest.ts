// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface CreateBrokerRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'name'?: (string);
  'email'?: (string);
  'password'?: (string);
}

export interface CreateBrokerRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'name': (string);
  'email': (string);
  'password': (string);
}
