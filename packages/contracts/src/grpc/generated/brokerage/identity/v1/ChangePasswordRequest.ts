// Original file: proto/identity.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface ChangePasswordRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'current_password'?: (string);
  'new_password'?: (string);
}

export interface ChangePasswordRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'current_password': (string);
  'new_password': (string);
}
