// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface AssignBrokerRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'id'?: (string);
  'broker_id'?: (string);
}

export interface AssignBrokerRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'id': (string);
  'broker_id': (string);
}
