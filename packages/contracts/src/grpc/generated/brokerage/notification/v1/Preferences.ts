// Original file: proto/notification.proto

import type { Preference as _brokerage_notification_v1_Preference, Preference__Output as _brokerage_notification_v1_Preference__Output } from '../../../brokerage/notification/v1/Preference.js';

export interface Preferences {
  'customer_id'?: (string);
  'preferences'?: (_brokerage_notification_v1_Preference)[];
}

export interface Preferences__Output {
  'customer_id': (string);
  'preferences': (_brokerage_notification_v1_Preference__Output)[];
}
