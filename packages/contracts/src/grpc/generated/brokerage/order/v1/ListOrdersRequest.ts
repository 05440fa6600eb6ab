// Original file: proto/order.proto

import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from '../../../brokerage/common/v1/PageRequest.js';
import type { Side as _brokerage_common_v1_Side, Side__Output as _brokerage_common_v1_Side__Output } from '../../../brokerage/common/v1/Side.js';
import type { OrderStatus as _brokerage_order_v1_OrderStatus, OrderStatus__Output as _brokerage_order_v1_OrderStatus__Output } from '../../../brokerage/order/v1/OrderStatus.js';

export interface ListOrdersRequest {
  'page'?: (_brokerage_common_v1_PageRequest | null);
  'customer_id'?: (string);
  'broker_id'?: (string);
  'asset_name'?: (string);
  'side'?: (_brokerage_common_v1_Side);
  'status'?: (_brokerage_order_v1_OrderStatus);
  'start_date'?: (string);
  'end_date'?: (string);
  'customer_ids'?: (string)[];
}

export interface ListOrdersRequest__Output {
  'page': (_brokerage_common_v1_PageRequest__Output | null);
  'customer_id': (string);
  'broker_id': (string);
  'asset_name': (string);
  'side': (_brokerage_common_v1_Side__Output);
  'status': (_brokerage_order_v1_OrderStatus__Output);
  'start_date': (string);
  'end_date': (string);
  'customer_ids': (string)[];
}
