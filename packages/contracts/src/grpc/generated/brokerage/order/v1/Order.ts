// Original file: proto/order.proto

import type { Side as _brokerage_common_v1_Side, Side__Output as _brokerage_common_v1_Side__Output } from '../../../brokerage/common/v1/Side.js';
import type { OrderStatus as _brokerage_order_v1_OrderStatus, OrderStatus__Output as _brokerage_order_v1_OrderStatus__Output } from '../../../brokerage/order/v1/OrderStatus.js';
import type { StatusChange as _brokerage_order_v1_StatusChange, StatusChange__Output as _brokerage_order_v1_StatusChange__Output } from '../../../brokerage/order/v1/StatusChange.js';
import type { Long } from '@grpc/proto-loader';

export interface Order {
  'id'?: (string);
  'customer_id'?: (string);
  'asset_name'?: (string);
  'side'?: (_brokerage_common_v1_Side);
  'size'?: (number | string | Long);
  'price'?: (number | string | Long);
  'filled_size'?: (number | string | Long);
  'status'?: (_brokerage_order_v1_OrderStatus);
  'rejection_reason'?: (string);
  'created_at'?: (string);
  'updated_at'?: (string);
  'history'?: (_brokerage_order_v1_StatusChange)[];
}

export interface Order__Output {
  'id': (string);
  'customer_id': (string);
  'asset_name': (string);
  'side': (_brokerage_common_v1_Side__Output);
  'size': (number);
  'price': (number);
  'filled_size': (number);
  'status': (_brokerage_order_v1_OrderStatus__Output);
  'rejection_reason': (string);
  'created_at': (string);
  'updated_at': (string);
  'history': (_brokerage_order_v1_StatusChange__Output)[];
}
