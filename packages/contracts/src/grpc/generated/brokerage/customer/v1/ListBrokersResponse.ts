// Original file: proto/customer.proto

import type { Broker as _brokerage_customer_v1_Broker, Broker__Output as _brokerage_customer_v1_Broker__Output } from '../../../brokerage/customer/v1/Broker.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListBrokersResponse {
  'content'?: (_brokerage_customer_v1_Broker)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListBrokersResponse__Output {
  'content': (_brokerage_customer_v1_Broker__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
