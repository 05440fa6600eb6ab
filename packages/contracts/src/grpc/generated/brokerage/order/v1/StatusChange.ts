// Original file: proto/order.proto

import type { OrderStatus as _brokerage_order_v1_OrderStatus, OrderStatus__Output as _brokerage_order_v1_OrderStatus__Output } from '../../../brokerage/order/v1/OrderStatus.js';

export interface StatusChange {
  'status'?: (_brokerage_order_v1_OrderStatus);
  'at'?: (string);
  'event_id'?: (string);
  'event_type'?: (string);
  'reason'?: (string);
}

export interface StatusChange__Output {
  'status': (_brokerage_order_v1_OrderStatus__Output);
  'at': (string);
  'event_id': (string);
  'event_type': (string);
  'reason': (string);
}
