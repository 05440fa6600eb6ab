// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface DerivedBalance {
  'asset_name'?: (string);
  'size'?: (number | string | Long);
}

export interface DerivedBalance__Output {
  'asset_name': (string);
  'size': (number);
}
