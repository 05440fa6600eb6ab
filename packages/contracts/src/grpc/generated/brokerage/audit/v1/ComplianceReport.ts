// Original file: proto/audit.proto

import type { AuditEvent as _brokerage_audit_v1_AuditEvent, AuditEvent__Output as _brokerage_audit_v1_AuditEvent__Output } from '../../../brokerage/audit/v1/AuditEvent.js';
import type { Long } from '@grpc/proto-loader';

export interface ComplianceReport {
  'generated_at'?: (string);
  'from'?: (string);
  'to'?: (string);
  'chain_intact'?: (boolean);
  'first_broken_sequence'?: (number | string | Long);
  'head_hash'?: (string);
  'event_count'?: (number | string | Long);
  'events'?: (_brokerage_audit_v1_AuditEvent)[];
}

export interface ComplianceReport__Output {
  'generated_at': (string);
  'from': (string);
  'to': (string);
  'chain_intact': (boolean);
  'first_broken_sequence': (number);
  'head_hash': (string);
  'event_count': (number);
  'events': (_brokerage_audit_v1_AuditEvent__Output)[];
}
