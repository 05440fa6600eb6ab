// Original file: proto/notification.proto

import type { PushSubscription as _brokerage_notification_v1_PushSubscription, PushSubscription__Output as _brokerage_notification_v1_PushSubscription__Output } from '../../../brokerage/notification/v1/PushSubscription.js';

export interface Contact {
  'customer_id'?: (string);
  'email'?: (string);
  'phone'?: (string);
  'locale'?: (string);
  'push_subscriptions'?: (_brokerage_notification_v1_PushSubscription)[];
  'vapid_public_key'?: (string);
}

export interface Contact__Output {
  'customer_id': (string);
  'email': (string);
  'phone': (string);
  'locale': (string);
  'push_subscriptions': (_brokerage_notification_v1_PushSubscription__Output)[];
  'vapid_public_key': (string);
}
