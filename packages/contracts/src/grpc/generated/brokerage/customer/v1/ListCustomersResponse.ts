// Original file: proto/customer.proto

import type { Customer as _brokerage_customer_v1_Customer, Customer__Output as _brokerage_customer_v1_Customer__Output } from '../../../brokerage/customer/v1/Customer.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListCustomersResponse {
  'content'?: (_brokerage_customer_v1_Customer)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListCustomersResponse__Output {
  'content': (_brokerage_customer_v1_Customer__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
