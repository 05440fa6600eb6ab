// Original file: proto/notification.proto

import type { Channel as _brokerage_notification_v1_Channel, Channel__Output as _brokerage_notification_v1_Channel__Output } from '../../../brokerage/notification/v1/Channel.js';

export interface Preference {
  'event_type'?: (string);
  'channel'?: (_brokerage_notification_v1_Channel);
  'enabled'?: (boolean);
}

export interface Preference__Output {
  'event_type': (string);
  'channel': (_brokerage_notification_v1_Channel__Output);
  'enabled': (boolean);
}
