// Original file: proto/processor.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface SetMarketRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'asset_name'?: (string);
  'crossing'?: (boolean);
}

export interface SetMarketRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'asset_name': (string);
  'crossing': (boolean);
}
