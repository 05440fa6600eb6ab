// Original file: proto/audit.proto

import type { AuditEvent as _brokerage_audit_v1_AuditEvent, AuditEvent__Output as _brokerage_audit_v1_AuditEvent__Output } from '../../../brokerage/audit/v1/AuditEvent.js';
import type { DerivedBalance as _brokerage_audit_v1_DerivedBalance, DerivedBalance__Output as _brokerage_audit_v1_DerivedBalance__Output } from '../../../brokerage/audit/v1/DerivedBalance.js';
import type { ComplianceLine as _brokerage_audit_v1_ComplianceLine, ComplianceLine__Output as _brokerage_audit_v1_ComplianceLine__Output } from '../../../brokerage/audit/v1/ComplianceLine.js';
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
  'customer_id'?: (string);
  'opening'?: (_brokerage_audit_v1_DerivedBalance)[];
  'closing'?: (_brokerage_audit_v1_DerivedBalance)[];
  'lines'?: (_brokerage_audit_v1_ComplianceLine)[];
  'next_after_sequence'?: (number | string | Long);
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
  'customer_id': (string);
  'opening': (_brokerage_audit_v1_DerivedBalance__Output)[];
  'closing': (_brokerage_audit_v1_DerivedBalance__Output)[];
  'lines': (_brokerage_audit_v1_ComplianceLine__Output)[];
  'next_after_sequence': (number);
}
