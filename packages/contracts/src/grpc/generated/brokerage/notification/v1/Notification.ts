// Original file: proto/notification.proto

import type { Delivery as _brokerage_notification_v1_Delivery, Delivery__Output as _brokerage_notification_v1_Delivery__Output } from '../../../brokerage/notification/v1/Delivery.js';

export interface Notification {
  'id'?: (string);
  'customer_id'?: (string);
  'event_id'?: (string);
  'event_type'?: (string);
  'title'?: (string);
  'body'?: (string);
  'created_at'?: (string);
  'deliveries'?: (_brokerage_notification_v1_Delivery)[];
}

export interface Notification__Output {
  'id': (string);
  'customer_id': (string);
  'event_id': (string);
  'event_type': (string);
  'title': (string);
  'body': (string);
  'created_at': (string);
  'deliveries': (_brokerage_notification_v1_Delivery__Output)[];
}
