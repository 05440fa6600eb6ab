// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface SagaDurations {
  'count'?: (number | string | Long);
  'p50_ms'?: (number | string | Long);
  'p95_ms'?: (number | string | Long);
  'max_ms'?: (number | string | Long);
  'p99_ms'?: (number | string | Long);
  'name'?: (string);
}

export interface SagaDurations__Output {
  'count': (number);
  'p50_ms': (number);
  'p95_ms': (number);
  'max_ms': (number);
  'p99_ms': (number);
  'name': (string);
}
