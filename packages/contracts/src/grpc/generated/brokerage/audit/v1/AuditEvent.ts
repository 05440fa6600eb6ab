// Original file: proto/audit.proto

import type { Long } from '@grpc/proto-loader';

export interface AuditEvent {
  'sequence'?: (number | string | Long);
  'event_id'?: (string);
  'type'?: (string);
  'version'?: (number);
  'topic'?: (string);
  'key'?: (string);
  'occurred_at'?: (string);
  'recorded_at'?: (string);
  'correlation_id'?: (string);
  'causation_id'?: (string);
  'data_json'?: (string);
  'hash'?: (string);
  'prev_hash'?: (string);
  'service'?: (string);
  'since_previous_ms'?: (number | string | Long);
  'partition'?: (number);
  'offset'?: (number | string | Long);
}

export interface AuditEvent__Output {
  'sequence': (number);
  'event_id': (string);
  'type': (string);
  'version': (number);
  'topic': (string);
  'key': (string);
  'occurred_at': (string);
  'recorded_at': (string);
  'correlation_id': (string);
  'causation_id': (string);
  'data_json': (string);
  'hash': (string);
  'prev_hash': (string);
  'service': (string);
  'since_previous_ms': (number);
  'partition': (number);
  'offset': (number);
}
