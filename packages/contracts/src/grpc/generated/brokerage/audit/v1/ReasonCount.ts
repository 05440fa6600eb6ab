// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface ReasonCount {
  'event_type'?: (string);
  'reason'?: (string);
  'count'?: (number | string | Long);
}

export interface ReasonCount__Output {
  'event_type': (string);
  'reason': (string);
  'count': (number);
}
