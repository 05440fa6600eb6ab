// Original file: proto/notification.proto


export interface GetContactRequest {
  'customer_id'?: (string);
}

export interface GetContactRequest__Output {
  'customer_id': (string);
}
