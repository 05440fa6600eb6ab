import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';
import type { AddPushSubscriptionRequest as _brokerage_notification_v1_AddPushSubscriptionRequest, AddPushSubscriptionRequest__Output as _brokerage_notification_v1_AddPushSubscriptionRequest__Output } from './brokerage/notification/v1/AddPushSubscriptionRequest.js';
import type { Contact as _brokerage_notification_v1_Contact, Contact__Output as _brokerage_notification_v1_Contact__Output } from './brokerage/notification/v1/Contact.js';
import type { Delivery as _brokerage_notification_v1_Delivery, Delivery__Output as _brokerage_notification_v1_Delivery__Output } from './brokerage/notification/v1/Delivery.js';
import type { GetContactRequest as _brokerage_notification_v1_GetContactRequest, GetContactRequest__Output as _brokerage_notification_v1_GetContactRequest__Output } from './brokerage/notification/v1/GetContactRequest.js';
import type { GetPreferencesRequest as _brokerage_notification_v1_GetPreferencesRequest, GetPreferencesRequest__Output as _brokerage_notification_v1_GetPreferencesRequest__Output } from './brokerage/notification/v1/GetPreferencesRequest.js';
import type { ListNotificationsRequest as _brokerage_notification_v1_ListNotificationsRequest, ListNotificationsRequest__Output as _brokerage_notification_v1_ListNotificationsRequest__Output } from './brokerage/notification/v1/ListNotificationsRequest.js';
import type { ListNotificationsResponse as _brokerage_notification_v1_ListNotificationsResponse, ListNotificationsResponse__Output as _brokerage_notification_v1_ListNotificationsResponse__Output } from './brokerage/notification/v1/ListNotificationsResponse.js';
import type { Notification as _brokerage_notification_v1_Notification, Notification__Output as _brokerage_notification_v1_Notification__Output } from './brokerage/notification/v1/Notification.js';
import type { NotificationServiceClient as _brokerage_notification_v1_NotificationServiceClient, NotificationServiceDefinition as _brokerage_notification_v1_NotificationServiceDefinition } from './brokerage/notification/v1/NotificationService.js';
import type { Preference as _brokerage_notification_v1_Preference, Preference__Output as _brokerage_notification_v1_Preference__Output } from './brokerage/notification/v1/Preference.js';
import type { Preferences as _brokerage_notification_v1_Preferences, Preferences__Output as _brokerage_notification_v1_Preferences__Output } from './brokerage/notification/v1/Preferences.js';
import type { PushSubscription as _brokerage_notification_v1_PushSubscription, PushSubscription__Output as _brokerage_notification_v1_PushSubscription__Output } from './brokerage/notification/v1/PushSubscription.js';
import type { RemovePushSubscriptionRequest as _brokerage_notification_v1_RemovePushSubscriptionRequest, RemovePushSubscriptionRequest__Output as _brokerage_notification_v1_RemovePushSubscriptionRequest__Output } from './brokerage/notification/v1/RemovePushSubscriptionRequest.js';
import type { RemovePushSubscriptionResponse as _brokerage_notification_v1_RemovePushSubscriptionResponse, RemovePushSubscriptionResponse__Output as _brokerage_notification_v1_RemovePushSubscriptionResponse__Output } from './brokerage/notification/v1/RemovePushSubscriptionResponse.js';
import type { SetContactRequest as _brokerage_notification_v1_SetContactRequest, SetContactRequest__Output as _brokerage_notification_v1_SetContactRequest__Output } from './brokerage/notification/v1/SetContactRequest.js';
import type { SetPreferencesRequest as _brokerage_notification_v1_SetPreferencesRequest, SetPreferencesRequest__Output as _brokerage_notification_v1_SetPreferencesRequest__Output } from './brokerage/notification/v1/SetPreferencesRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    common: {
      v1: {
        Actor: MessageTypeDefinition<_brokerage_common_v1_Actor, _brokerage_common_v1_Actor__Output>
        CustomerStatus: EnumTypeDefinition
        PageInfo: MessageTypeDefinition<_brokerage_common_v1_PageInfo, _brokerage_common_v1_PageInfo__Output>
        PageRequest: MessageTypeDefinition<_brokerage_common_v1_PageRequest, _brokerage_common_v1_PageRequest__Output>
        Role: EnumTypeDefinition
        Side: EnumTypeDefinition
        Tier: EnumTypeDefinition
      }
    }
    notification: {
      v1: {
        AddPushSubscriptionRequest: MessageTypeDefinition<_brokerage_notification_v1_AddPushSubscriptionRequest, _brokerage_notification_v1_AddPushSubscriptionRequest__Output>
        Channel: EnumTypeDefinition
        Contact: MessageTypeDefinition<_brokerage_notification_v1_Contact, _brokerage_notification_v1_Contact__Output>
        Delivery: MessageTypeDefinition<_brokerage_notification_v1_Delivery, _brokerage_notification_v1_Delivery__Output>
        DeliveryStatus: EnumTypeDefinition
        GetContactRequest: MessageTypeDefinition<_brokerage_notification_v1_GetContactRequest, _brokerage_notification_v1_GetContactRequest__Output>
        GetPreferencesRequest: MessageTypeDefinition<_brokerage_notification_v1_GetPreferencesRequest, _brokerage_notification_v1_GetPreferencesRequest__Output>
        ListNotificationsRequest: MessageTypeDefinition<_brokerage_notification_v1_ListNotificationsRequest, _brokerage_notification_v1_ListNotificationsRequest__Output>
        ListNotificationsResponse: MessageTypeDefinition<_brokerage_notification_v1_ListNotificationsResponse, _brokerage_notification_v1_ListNotificationsResponse__Output>
        Notification: MessageTypeDefinition<_brokerage_notification_v1_Notification, _brokerage_notification_v1_Notification__Output>
        NotificationService: SubtypeConstructor<typeof grpc.Client, _brokerage_notification_v1_NotificationServiceClient> & { service: _brokerage_notification_v1_NotificationServiceDefinition }
        Preference: MessageTypeDefinition<_brokerage_notification_v1_Preference, _brokerage_notification_v1_Preference__Output>
        Preferences: MessageTypeDefinition<_brokerage_notification_v1_Preferences, _brokerage_notification_v1_Preferences__Output>
        PushSubscription: MessageTypeDefinition<_brokerage_notification_v1_PushSubscription, _brokerage_notification_v1_PushSubscription__Output>
        RemovePushSubscriptionRequest: MessageTypeDefinition<_brokerage_notification_v1_RemovePushSubscriptionRequest, _brokerage_notification_v1_RemovePushSubscriptionRequest__Output>
        RemovePushSubscriptionResponse: MessageTypeDefinition<_brokerage_notification_v1_RemovePushSubscriptionResponse, _brokerage_notification_v1_RemovePushSubscriptionResponse__Output>
        SetContactRequest: MessageTypeDefinition<_brokerage_notification_v1_SetContactRequest, _brokerage_notification_v1_SetContactRequest__Output>
        SetPreferencesRequest: MessageTypeDefinition<_brokerage_notification_v1_SetPreferencesRequest, _brokerage_notification_v1_SetPreferencesRequest__Output>
      }
    }
  }
}

