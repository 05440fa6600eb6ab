// Original file: proto/customer.proto


export interface Broker {
  'id'?: (string);
  'name'?: (string);
  'email'?: (string);
  'created_at'?: (string);
}

export interface Broker__Output {
  'id': (string);
  'name': (string);
  'email': (string);
  'created_at': (string);
}
