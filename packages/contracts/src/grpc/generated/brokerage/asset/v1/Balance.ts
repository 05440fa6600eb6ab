// Original file: proto/asset.proto

import type { Long } from '@grpc/proto-loader';

export interface Balance {
  'customer_id'?: (string);
  'asset_name'?: (string);
  'size'?: (number | string | Long);
  'usable_size'?: (number | string | Long);
}

export interface Balance__Output {
  'customer_id': (string);
  'asset_name': (string);
  'size': (number);
  'usable_size': (number);
}
