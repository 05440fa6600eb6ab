// Original file: proto/processor.proto

import type { Market as _brokerage_processor_v1_Market, Market__Output as _brokerage_processor_v1_Market__Output } from '../../../brokerage/processor/v1/Market.js';

export interface ListMarketsResponse {
  'markets'?: (_brokerage_processor_v1_Market)[];
}

export interface ListMarketsResponse__Output {
  'markets': (_brokerage_processor_v1_Market__Output)[];
}
