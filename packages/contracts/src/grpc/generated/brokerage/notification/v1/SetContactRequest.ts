// Original file: proto/notification.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface SetContactRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'customer_id'?: (string);
  'set_phone'?: (boolean);
  'phone'?: (string);
  'locale'?: (string);
}

export interface SetContactRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'customer_id': (string);
  'set_phone': (boolean);
  'phone': (string);
  'locale': (string);
}
