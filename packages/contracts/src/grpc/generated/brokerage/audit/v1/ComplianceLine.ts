// Original file: proto/audit.proto

import type { DerivedBalance as _brokerage_audit_v1_DerivedBalance, DerivedBalance__Output as _brokerage_audit_v1_DerivedBalance__Output } from '../../../brokerage/audit/v1/DerivedBalance.js';
import type { Long } from '@grpc/proto-loader';

export interface ComplianceLine {
  'sequence'?: (number | string | Long);
  'occurred_at'?: (string);
  'kind'?: (string);
  'event_type'?: (string);
  'event_id'?: (string);
  'reference_id'?: (string);
  'order_id'?: (string);
  'asset_name'?: (string);
  'side'?: (string);
  'size'?: (number | string | Long);
  'price'?: (number | string | Long);
  'amount'?: (number | string | Long);
  'status'?: (string);
  'reason'?: (string);
  'changes'?: (_brokerage_audit_v1_DerivedBalance)[];
}

export interface ComplianceLine__Output {
  'sequence': (number);
  'occurred_at': (string);
  'kind': (string);
  'event_type': (string);
  'event_id': (string);
  'reference_id': (string);
  'order_id': (string);
  'asset_name': (string);
  'side': (string);
  'size': (number);
  'price': (number);
  'amount': (number);
  'status': (string);
  'reason': (string);
  'changes': (_brokerage_audit_v1_DerivedBalance__Output)[];
}
