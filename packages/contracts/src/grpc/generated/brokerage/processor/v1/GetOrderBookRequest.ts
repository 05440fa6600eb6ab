// Original file: proto/processor.proto


export interface GetOrderBookRequest {
  'asset_name'?: (string);
  'depth'?: (number);
}

export interface GetOrderBookRequest__Output {
  'asset_name': (string);
  'depth': (number);
}
