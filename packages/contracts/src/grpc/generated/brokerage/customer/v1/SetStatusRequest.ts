// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { CustomerStatus as _brokerage_common_v1_CustomerStatus, CustomerStatus__Output as _brokerage_common_v1_CustomerStatus__Output } from '../../../brokerage/common/v1/CustomerStatus.js';

export interface SetStatusRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'id'?: (string);
  'status'?: (_brokerage_common_v1_CustomerStatus);
}

export interface SetStatusRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'id': (string);
  'status': (_brokerage_common_v1_CustomerStatus__Output);
}
