// Original file: proto/notification.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddPushSubscriptionRequest as _brokerage_notification_v1_AddPushSubscriptionRequest, AddPushSubscriptionRequest__Output as _brokerage_notification_v1_AddPushSubscriptionRequest__Output } from '../../../brokerage/notification/v1/AddPushSubscriptionRequest.js';
import type { Contact as _brokerage_notification_v1_Contact, Contact__Output as _brokerage_notification_v1_Contact__Output } from '../../../brokerage/notification/v1/Contact.js';
import type { GetContactRequest as _brokerage_notification_v1_GetContactRequest, GetContactRequest__Output as _brokerage_notification_v1_GetContactRequest__Output } from '../../../brokerage/notification/v1/GetContactRequest.js';
import type { GetPreferencesRequest as _brokerage_notification_v1_GetPreferencesRequest, GetPreferencesRequest__Output as _brokerage_notification_v1_GetPreferencesRequest__Output } from '../../../brokerage/notification/v1/GetPreferencesRequest.js';
import type { ListNotificationsRequest as _brokerage_notification_v1_ListNotificationsRequest, ListNotificationsRequest__Output as _brokerage_notification_v1_ListNotificationsRequest__Output } from '../../../brokerage/notification/v1/ListNotificationsRequest.js';
import type { ListNotificationsResponse as _brokerage_notification_v1_ListNotificationsResponse, ListNotificationsResponse__Output as _brokerage_notification_v1_ListNotificationsResponse__Output } from '../../../brokerage/notification/v1/ListNotificationsResponse.js';
import type { Preferences as _brokerage_notification_v1_Preferences, Preferences__Output as _brokerage_notification_v1_Preferences__Output } from '../../../brokerage/notification/v1/Preferences.js';
import type { PushSubscription as _brokerage_notification_v1_PushSubscription, PushSubscription__Output as _brokerage_notification_v1_PushSubscription__Output } from '../../../brokerage/notification/v1/PushSubscription.js';
import type { RemovePushSubscriptionRequest as _brokerage_notification_v1_RemovePushSubscriptionRequest, RemovePushSubscriptionRequest__Output as _brokerage_notification_v1_RemovePushSubscriptionRequest__Output } from '../../../brokerage/notification/v1/RemovePushSubscriptionRequest.js';
import type { RemovePushSubscriptionResponse as _brokerage_notification_v1_RemovePushSubscriptionResponse, RemovePushSubscriptionResponse__Output as _brokerage_notification_v1_RemovePushSubscriptionResponse__Output } from '../../../brokerage/notification/v1/RemovePushSubscriptionResponse.js';
import type { SetContactRequest as _brokerage_notification_v1_SetContactRequest, SetContactRequest__Output as _brokerage_notification_v1_SetContactRequest__Output } from '../../../brokerage/notification/v1/SetContactRequest.js';
import type { SetPreferencesRequest as _brokerage_notification_v1_SetPreferencesRequest, SetPreferencesRequest__Output as _brokerage_notification_v1_SetPreferencesRequest__Output } from '../../../brokerage/notification/v1/SetPreferencesRequest.js';

export interface NotificationServiceClient extends grpc.Client {
  AddPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  AddPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  AddPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  AddPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  addPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  addPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  addPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  addPushSubscription(argument: _brokerage_notification_v1_AddPushSubscriptionRequest, callback: grpc.requestCallback<_brokerage_notification_v1_PushSubscription__Output>): grpc.ClientUnaryCall;
  
  GetContact(argument: _brokerage_notification_v1_GetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _brokerage_notification_v1_GetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _brokerage_notification_v1_GetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  GetContact(argument: _brokerage_notification_v1_GetContactRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _brokerage_notification_v1_GetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _brokerage_notification_v1_GetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _brokerage_notification_v1_GetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  getContact(argument: _brokerage_notification_v1_GetContactRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  
  GetPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  GetPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  GetPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  GetPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  getPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  getPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  getPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  getPreferences(argument: _brokerage_notification_v1_GetPreferencesRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  
  ListNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  ListNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  ListNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  ListNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  listNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  listNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  listNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  listNotifications(argument: _brokerage_notification_v1_ListNotificationsRequest, callback: grpc.requestCallback<_brokerage_notification_v1_ListNotificationsResponse__Output>): grpc.ClientUnaryCall;
  
  RemovePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  RemovePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  RemovePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  RemovePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  removePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  removePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  removePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  removePushSubscription(argument: _brokerage_notification_v1_RemovePushSubscriptionRequest, callback: grpc.requestCallback<_brokerage_notification_v1_RemovePushSubscriptionResponse__Output>): grpc.ClientUnaryCall;
  
  SetContact(argument: _brokerage_notification_v1_SetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  SetContact(argument: _brokerage_notification_v1_SetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  SetContact(argument: _brokerage_notification_v1_SetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  SetContact(argument: _brokerage_notification_v1_SetContactRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  setContact(argument: _brokerage_notification_v1_SetContactRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  setContact(argument: _brokerage_notification_v1_SetContactRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  setContact(argument: _brokerage_notification_v1_SetContactRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  setContact(argument: _brokerage_notification_v1_SetContactRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Contact__Output>): grpc.ClientUnaryCall;
  
  SetPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  SetPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  SetPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  SetPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  setPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  setPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  setPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  setPreferences(argument: _brokerage_notification_v1_SetPreferencesRequest, callback: grpc.requestCallback<_brokerage_notification_v1_Preferences__Output>): grpc.ClientUnaryCall;
  
}

export interface NotificationServiceHandlers extends grpc.UntypedServiceImplementation {
  AddPushSubscription: grpc.handleUnaryCall<_brokerage_notification_v1_AddPushSubscriptionRequest__Output, _brokerage_notification_v1_PushSubscription>;
  
  GetContact: grpc.handleUnaryCall<_brokerage_notification_v1_GetContactRequest__Output, _brokerage_notification_v1_Contact>;
  
  GetPreferences: grpc.handleUnaryCall<_brokerage_notification_v1_GetPreferencesRequest__Output, _brokerage_notification_v1_Preferences>;
  
  ListNotifications: grpc.handleUnaryCall<_brokerage_notification_v1_ListNotificationsRequest__Output, _brokerage_notification_v1_ListNotificationsResponse>;
  
  RemovePushSubscription: grpc.handleUnaryCall<_brokerage_notification_v1_RemovePushSubscriptionRequest__Output, _brokerage_notification_v1_RemovePushSubscriptionResponse>;
  
  SetContact: grpc.handleUnaryCall<_brokerage_notification_v1_SetContactRequest__Output, _brokerage_notification_v1_Contact>;
  
  SetPreferences: grpc.handleUnaryCall<_brokerage_notification_v1_SetPreferencesRequest__Output, _brokerage_notification_v1_Preferences>;
  
}

export interface NotificationServiceDefinition extends grpc.ServiceDefinition {
  AddPushSubscription: MethodDefinition<_brokerage_notification_v1_AddPushSubscriptionRequest, _brokerage_notification_v1_PushSubscription, _brokerage_notification_v1_AddPushSubscriptionRequest__Output, _brokerage_notification_v1_PushSubscription__Output>
  GetContact: MethodDefinition<_brokerage_notification_v1_GetContactRequest, _brokerage_notification_v1_Contact, _brokerage_notification_v1_GetContactRequest__Output, _brokerage_notification_v1_Contact__Output>
  GetPreferences: MethodDefinition<_brokerage_notification_v1_GetPreferencesRequest, _brokerage_notification_v1_Preferences, _brokerage_notification_v1_GetPreferencesRequest__Output, _brokerage_notification_v1_Preferences__Output>
  ListNotifications: MethodDefinition<_brokerage_notification_v1_ListNotificationsRequest, _brokerage_notification_v1_ListNotificationsResponse, _brokerage_notification_v1_ListNotificationsRequest__Output, _brokerage_notification_v1_ListNotificationsResponse__Output>
  RemovePushSubscription: MethodDefinition<_brokerage_notification_v1_RemovePushSubscriptionRequest, _brokerage_notification_v1_RemovePushSubscriptionResponse, _brokerage_notification_v1_RemovePushSubscriptionRequest__Output, _brokerage_notification_v1_RemovePushSubscriptionResponse__Output>
  SetContact: MethodDefinition<_brokerage_notification_v1_SetContactRequest, _brokerage_notification_v1_Contact, _brokerage_notification_v1_SetContactRequest__Output, _brokerage_notification_v1_Contact__Output>
  SetPreferences: MethodDefinition<_brokerage_notification_v1_SetPreferencesRequest, _brokerage_notification_v1_Preferences, _brokerage_notification_v1_SetPreferencesRequest__Output, _brokerage_notification_v1_Preferences__Output>
}
