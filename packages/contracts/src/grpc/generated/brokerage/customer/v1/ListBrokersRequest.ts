// Original file: proto/customer.proto

import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from '../../../brokerage/common/v1/PageRequest.js';

export interface ListBrokersRequest {
  'page'?: (_brokerage_common_v1_PageRequest | null);
}

export interface ListBrokersRequest__Output {
  'page': (_brokerage_common_v1_PageRequest__Output | null);
}
