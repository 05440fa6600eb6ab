// Original file: proto/order.proto


export interface ListTradesRequest {
  'order_id'?: (string);
}

export interface ListTradesRequest__Output {
  'order_id': (string);
}
