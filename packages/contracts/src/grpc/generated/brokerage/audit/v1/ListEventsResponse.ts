// Original file: proto/audit.proto

import type { AuditEvent as _brokerage_audit_v1_AuditEvent, AuditEvent__Output as _brokerage_audit_v1_AuditEvent__Output } from '../../../brokerage/audit/v1/AuditEvent.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from '../../../brokerage/common/v1/PageInfo.js';

export interface ListEventsResponse {
  'content'?: (_brokerage_audit_v1_AuditEvent)[];
  'page'?: (_brokerage_common_v1_PageInfo | null);
}

export interface ListEventsResponse__Output {
  'content': (_brokerage_audit_v1_AuditEvent__Output)[];
  'page': (_brokerage_common_v1_PageInfo__Output | null);
}
