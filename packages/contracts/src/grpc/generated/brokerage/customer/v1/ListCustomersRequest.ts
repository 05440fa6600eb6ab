// Original file: proto/customer.proto

import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from '../../../brokerage/common/v1/PageRequest.js';
import type { Tier as _brokerage_common_v1_Tier, Tier__Output as _brokerage_common_v1_Tier__Output } from '../../../brokerage/common/v1/Tier.js';
import type { CustomerStatus as _brokerage_common_v1_CustomerStatus, CustomerStatus__Output as _brokerage_common_v1_CustomerStatus__Output } from '../../../brokerage/common/v1/CustomerStatus.js';

export interface ListCustomersRequest {
  'page'?: (_brokerage_common_v1_PageRequest | null);
  'broker_id'?: (string);
  'tier'?: (_brokerage_common_v1_Tier);
  'status'?: (_brokerage_common_v1_CustomerStatus);
}

export interface ListCustomersRequest__Output {
  'page': (_brokerage_common_v1_PageRequest__Output | null);
  'broker_id': (string);
  'tier': (_brokerage_common_v1_Tier__Output);
  'status': (_brokerage_common_v1_CustomerStatus__Output);
}
