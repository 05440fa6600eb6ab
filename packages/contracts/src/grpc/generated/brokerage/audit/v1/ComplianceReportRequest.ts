// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface ComplianceReportRequest {
  'from'?: (string);
  'to'?: (string);
  'customer_id'?: (string);
  'after_sequence'?: (number | string | Long);
  'limit'?: (number);
}

export interface ComplianceReportRequest__Output {
  'from': (string);
  'to': (string);
  'customer_id': (string);
  'after_sequence': (number);
  'limit': (number);
}
