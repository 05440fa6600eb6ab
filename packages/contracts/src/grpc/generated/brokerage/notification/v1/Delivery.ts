// Original file: proto/notification.proto

import type { Channel as _brokerage_notification_v1_Channel, Channel__Output as _brokerage_notification_v1_Channel__Output } from '../../../brokerage/notification/v1/Channel.js';
import type { DeliveryStatus as _brokerage_notification_v1_DeliveryStatus, DeliveryStatus__Output as _brokerage_notification_v1_DeliveryStatus__Output } from '../../../brokerage/notification/v1/DeliveryStatus.js';

export interface Delivery {
  'channel'?: (_brokerage_notification_v1_Channel);
  'status'?: (_brokerage_notification_v1_DeliveryStatus);
  'attempts'?: (number);
  'last_error'?: (string);
  'sent_at'?: (string);
  'created_at'?: (string);
  'updated_at'?: (string);
  'next_attempt_at'?: (string);
}

export interface Delivery__Output {
  'channel': (_brokerage_notification_v1_Channel__Output);
  'status': (_brokerage_notification_v1_DeliveryStatus__Output);
  'attempts': (number);
  'last_error': (string);
  'sent_at': (string);
  'created_at': (string);
  'updated_at': (string);
  'next_attempt_at': (string);
}
