// Original file: proto/notification.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';

export interface AddPushSubscriptionRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'customer_id'?: (string);
  'endpoint'?: (string);
  'p256dh'?: (string);
  'auth'?: (string);
}

export interface AddPushSubscriptionRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'customer_id': (string);
  'endpoint': (string);
  'p256dh': (string);
  'auth': (string);
}
