// Original file: proto/notification.proto

import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from '../../../brokerage/common/v1/PageRequest.js';

export interface ListNotificationsRequest {
  'customer_id'?: (string);
  'page'?: (_brokerage_common_v1_PageRequest | null);
}

export interface ListNotificationsRequest__Output {
  'customer_id': (string);
  'page': (_brokerage_common_v1_PageRequest__Output | null);
}
