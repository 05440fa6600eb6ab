// Original file: proto/common.proto

import type { Long } from '@grpc/proto-loader';

export interface PageInfo {
  'page'?: (number);
  'size'?: (number);
  'total_elements'?: (number | string | Long);
}

export interface PageInfo__Output {
  'page': (number);
  'size': (number);
  'total_elements': (number);
}
