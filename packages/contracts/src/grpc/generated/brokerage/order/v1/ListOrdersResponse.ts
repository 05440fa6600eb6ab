// Original file: proto/order.proto

import type { Order as _brokerage_order_v1_Order, Order__Output as _brokerage_order_v1_Order__Output } from '../../../brokerage/order/v1/Order.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListOrdersResponse {
  'content'?: (_brokerage_order_v1_Order)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListOrdersResponse__Output {
  'content': (_brokerage_order_v1_Order__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
