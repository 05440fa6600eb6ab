// Original file: proto/notification.proto

import type { Notification as _brokerage_notification_v1_Notification, Notification__Output as _brokerage_notification_v1_Notification__Output } from '../../../brokerage/notification/v1/Notification.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListNotificationsResponse {
  'content'?: (_brokerage_notification_v1_Notification)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListNotificationsResponse__Output {
  'content': (_brokerage_notification_v1_Notification__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
