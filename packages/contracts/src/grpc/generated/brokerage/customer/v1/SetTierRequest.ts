// Original file: proto/customer.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { Tier as _brokerage_common_v1_Tier, Tier__Output as _brokerage_common_v1_Tier__Output } from '../../../brokerage/common/v1/Tier.js';

export interface SetTierRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'id'?: (string);
  'tier'?: (_brokerage_common_v1_Tier);
}

export interface SetTierRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'id': (string);
  'tier': (_brokerage_common_v1_Tier__Output);
}
