// Original file: proto/order.proto

import type { Trade as _brokerage_order_v1_Trade, Trade__Output as _brokerage_order_v1_Trade__Output } from '../../../brokerage/order/v1/Trade.js';

export interface ListTradesResponse {
  'trades'?: (_brokerage_order_v1_Trade)[];
}

export interface ListTradesResponse__Output {
  'trades': (_brokerage_order_v1_Trade__Output)[];
}
