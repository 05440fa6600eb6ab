// Original file: proto/notification.proto


export interface GetPreferencesRequest {
  'customer_id'?: (string);
}

export interface GetPreferencesRequest__Output {
  'customer_id': (string);
}
