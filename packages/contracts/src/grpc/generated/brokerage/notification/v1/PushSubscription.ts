// Original file: proto/notification.proto


export interface PushSubscription {
  'id'?: (string);
  'endpoint'?: (string);
  'created_at'?: (string);
}

export interface PushSubscription__Output {
  'id': (string);
  'endpoint': (string);
  'created_at': (string);
}
