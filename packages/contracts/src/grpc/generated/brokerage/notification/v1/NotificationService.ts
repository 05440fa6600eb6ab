// Original file: proto/notification.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetPreferencesRequest as _brokerage_notification_v1_GetPreferencesRequest, GetPreferencesRequest__Output as _brokerage_notification_v1_GetPreferencesRequest__Output } from '../../../brokerage/notification/v1/GetPreferencesRequest.js';
import type { ListNotificationsRequest as _brokerage_notification_v1_ListNotificationsRequest, ListNotificationsRequest__Output as _brokerage_notification_v1_ListNotificationsRequest__Output } from '../../../brokerage/notification/v1/ListNotificationsRequest.js';
import type { ListNotificationsResponse as _brokerage_notification_v1_ListNotificationsResponse, ListNotificationsResponse__Output as _brokerage_notification_v1_ListNotificationsResponse__Output } from '../../../brokerage/notification/v1/ListNotificationsResponse.js';
import type { Preferences as _brokerage_notification_v1_Preferences, Preferences__Output as _brokerage_notification_v1_Preferences__Output } from '../../../brokerage/notification/v1/Preferences.js';
import type { SetPreferencesRequest as _brokerage_notification_v1_SetPreferencesRequest, SetPreferencesRequest__Output as _brokerage_notification_v1_SetPreferencesRequest__Output } from '../../../brokerage/notification/v1/SetPreferencesRequest.js';

export interface NotificationServiceClient extends grpc.Client {
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
  GetPreferences: grpc.handleUnaryCall<_brokerage_notification_v1_GetPreferencesRequest__Output, _brokerage_notification_v1_Preferences>;
  
  ListNotifications: grpc.handleUnaryCall<_brokerage_notification_v1_ListNotificationsRequest__Output, _brokerage_notification_v1_ListNotificationsResponse>;
  
  SetPreferences: grpc.handleUnaryCall<_brokerage_notification_v1_SetPreferencesRequest__Output, _brokerage_notification_v1_Preferences>;
  
}

export interface NotificationServiceDefinition extends grpc.ServiceDefinition {
  GetPreferences: MethodDefinition<_brokerage_notification_v1_GetPreferencesRequest, _brokerage_notification_v1_Preferences, _brokerage_notification_v1_GetPreferencesRequest__Output, _brokerage_notification_v1_Preferences__Output>
  ListNotifications: MethodDefinition<_brokerage_notification_v1_ListNotificationsRequest, _brokerage_notification_v1_ListNotificationsResponse, _brokerage_notification_v1_ListNotificationsRequest__Output, _brokerage_notification_v1_ListNotificationsResponse__Output>
  SetPreferences: MethodDefinition<_brokerage_notification_v1_SetPreferencesRequest, _brokerage_notification_v1_Preferences, _brokerage_notification_v1_SetPreferencesRequest__Output, _brokerage_notification_v1_Preferences__Output>
}
