// Original file: proto/identity.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface SetPasswordRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'subject'?: (string);
  'password'?: (string);
}

export interface SetPasswordRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'subject': (string);
  'password': (string);
}
