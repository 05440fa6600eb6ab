// Original file: proto/audit.proto

import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from '../../../brokerage/common/v1/PageRequest.js';

export interface ListEventsRequest {
  'order_id'?: (string);
  'customer_id'?: (string);
  'page'?: (_brokerage_common_v1_PageRequest | null);
  'correlation_id'?: (string);
}

export interface ListEventsRequest__Output {
  'order_id': (string);
  'customer_id': (string);
  'page': (_brokerage_common_v1_PageRequest__Output | null);
  'correlation_id': (string);
}
