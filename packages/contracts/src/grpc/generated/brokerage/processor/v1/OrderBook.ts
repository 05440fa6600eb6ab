// Original file: proto/processor.proto

import type { PriceLevel as _brokerage_processor_v1_PriceLevel, PriceLevel__Output as _brokerage_processor_v1_PriceLevel__Output } from '../../../brokerage/processor/v1/PriceLevel.js';

export interface OrderBook {
  'asset_name'?: (string);
  'bids'?: (_brokerage_processor_v1_PriceLevel)[];
  'asks'?: (_brokerage_processor_v1_PriceLevel)[];
  'as_of'?: (string);
}

export interface OrderBook__Output {
  'asset_name': (string);
  'bids': (_brokerage_processor_v1_PriceLevel__Output)[];
  'asks': (_brokerage_processor_v1_PriceLevel__Output)[];
  'as_of': (string);
}
