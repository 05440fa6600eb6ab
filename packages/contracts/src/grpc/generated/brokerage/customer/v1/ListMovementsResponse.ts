// Original file: proto/customer.proto

import type { Movement as _brokerage_customer_v1_Movement, Movement__Output as _brokerage_customer_v1_Movement__Output } from '../../../brokerage/customer/v1/Movement.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListMovementsResponse {
  'content'?: (_brokerage_customer_v1_Movement)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListMovementsResponse__Output {
  'content': (_brokerage_customer_v1_Movement__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
