// Original file: proto/customer.proto


export interface GetCustomerRequest {
  'id'?: (string);
}

export interface GetCustomerRequest__Output {
  'id': (string);
}
