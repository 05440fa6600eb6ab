// Original file: proto/asset.proto

import type { Balance as _brokerage_asset_v1_Balance, Balance__Output as _brokerage_asset_v1_Balance__Output } from '../../../brokerage/asset/v1/Balance.js';

export interface ListBalancesResponse {
  'balances'?: (_brokerage_asset_v1_Balance)[];
}

export interface ListBalancesResponse__Output {
  'balances': (_brokerage_asset_v1_Balance__Output)[];
}
