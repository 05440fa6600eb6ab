// Original file: proto/order.proto

import type { Order as _brokerage_order_v1_Order, Order__Output as _brokerage_order_v1_Order__Output } from '../../../brokerage/order/v1/Order.js';

export interface CreateOrderResponse {
  'order'?: (_brokerage_order_v1_Order | null);
  'replayed'?: (boolean);
}

export interface CreateOrderResponse__Output {
  'order': (_brokerage_order_v1_Order__Output | null);
  'replayed': (boolean);
}
