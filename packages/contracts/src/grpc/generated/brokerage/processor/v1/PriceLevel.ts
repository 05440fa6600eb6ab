// Original file: proto/processor.proto

import type { Long } from '@grpc/proto-loader';

export interface PriceLevel {
  'price'?: (number | string | Long);
  'size'?: (number | string | Long);
  'orders'?: (number);
}

export interface PriceLevel__Output {
  'price': (number);
  'size': (number);
  'orders': (number);
}
