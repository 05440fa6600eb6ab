// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface StatusCount {
  'status'?: (string);
  'orders'?: (number | string | Long);
}

export interface StatusCount__Output {
  'status': (string);
  'orders': (number);
}
