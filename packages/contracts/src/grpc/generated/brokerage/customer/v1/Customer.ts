// Original file: proto/customer.proto

import type { Tier as _brokerage_common_v1_Tier, Tier__Output as _brokerage_common_v1_Tier__Output } from '../../../brokerage/common/v1/Tier.js';
import type { CustomerStatus as _brokerage_common_v1_CustomerStatus, CustomerStatus__Output as _brokerage_common_v1_CustomerStatus__Output } from '../../../brokerage/common/v1/CustomerStatus.js';

export interface Customer {
  'id'?: (string);
  'name'?: (string);
  'email'?: (string);
  'tier'?: (_brokerage_common_v1_Tier);
  'status'?: (_brokerage_common_v1_CustomerStatus);
  'broker_id'?: (string);
  'created_at'?: (string);
  'updated_at'?: (string);
}

export interface Customer__Output {
  'id': (string);
  'name': (string);
  'email': (string);
  'tier': (_brokerage_common_v1_Tier__Output);
  'status': (_brokerage_common_v1_CustomerStatus__Output);
  'broker_id': (string);
  'created_at': (string);
  'updated_at': (string);
}
