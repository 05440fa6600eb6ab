// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { Tier as _brokerage_common_v1_Tier, Tier__Output as _brokerage_common_v1_Tier__Output } from '../../../brokerage/common/v1/Tier.js';

export interface CreateCustomerRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'idempotency_key'?: (string);
  'name'?: (string);
  'email'?: (string);
  'password'?: (string);
  'tier'?: (_brokerage_common_v1_Tier);
  'broker_id'?: (string);
}

export interface CreateCustomerRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'idempotency_key': (string);
  'name': (string);
  'email': (string);
  'password': (string);
  'tier': (_brokerage_common_v1_Tier__Output);
  'broker_id': (string);
}
