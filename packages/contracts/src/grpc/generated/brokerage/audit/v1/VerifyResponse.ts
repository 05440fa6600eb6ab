// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface VerifyResponse {
  'intact'?: (boolean);
  'rows'?: (number | string | Long);
  'head_sequence'?: (number | string | Long);
  'head_hash'?: (string);
  'problem'?: (string);
  'problem_sequence'?: (number | string | Long);
  'message'?: (string);
}

export interface VerifyResponse__Output {
  'intact': (boolean);
  'rows': (number);
  'head_sequence': (number);
  'head_hash': (string);
  'problem': (string);
  'problem_sequence': (number);
  'message': (string);
}
