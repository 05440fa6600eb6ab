// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface VolumeByAssetDay {
  'asset_name'?: (string);
  'day'?: (string);
  'size'?: (number | string | Long);
  'notional'?: (number | string | Long);
  'trades'?: (number | string | Long);
}

export interface VolumeByAssetDay__Output {
  'asset_name': (string);
  'day': (string);
  'size': (number);
  'notional': (number);
  'trades': (number);
}
