// Original file: proto/order.proto

import type { Side as _brokerage_common_v1_Side, Side__Output as _brokerage_common_v1_Side__Output } from '../../../brokerage/common/v1/Side.js';
import type { Long } from '@grpc/proto-loader';

export interface Trade {
  'trade_id'?: (string);
  'order_id'?: (string);
  'asset_name'?: (string);
  'side'?: (_brokerage_common_v1_Side);
  'size'?: (number | string | Long);
  'price'?: (number | string | Long);
  'settled_at'?: (string);
}

export interface Trade__Output {
  'trade_id': (string);
  'order_id': (string);
  'asset_name': (string);
  'side': (_brokerage_common_v1_Side__Output);
  'size': (number);
  'price': (number);
  'settled_at': (string);
}
