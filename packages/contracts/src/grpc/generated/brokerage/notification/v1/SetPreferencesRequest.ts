// Original file: proto/notification.proto

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from '../../../brokerage/common/v1/Actor.js';
import type { Preference as _brokerage_notification_v1_Preference, Preference__Output as _brokerage_notification_v1_Preference__Output } from '../../../brokerage/notification/v1/Preference.js';

export interface SetPreferencesRequest {
  'actor'?: (_brokerage_common_v1_Actor | null);
  'customer_id'?: (string);
  'preferences'?: (_brokerage_notification_v1_Preference)[];
}

export interface SetPreferencesRequest__Output {
  'actor': (_brokerage_common_v1_Actor__Output | null);
  'customer_id': (string);
  'preferences': (_brokerage_notification_v1_Preference__Output)[];
}
