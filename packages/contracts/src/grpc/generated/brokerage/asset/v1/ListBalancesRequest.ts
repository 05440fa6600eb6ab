// Original file: proto/asset.proto


export interface ListBalancesRequest {
  'customer_ids'?: (string)[];
  'asset_name'?: (string);
}

export interface ListBalancesRequest__Output {
  'customer_ids': (string)[];
  'asset_name': (string);
}
