// Original file: proto/audit.proto

import type { VolumeByAssetDay as _brokerage_audit_v1_VolumeByAssetDay, VolumeByAssetDay__Output as _brokerage_audit_v1_VolumeByAssetDay__Output } from '../../../brokerage/audit/v1/VolumeByAssetDay.js';
import type { StatusCount as _brokerage_audit_v1_StatusCount, StatusCount__Output as _brokerage_audit_v1_StatusCount__Output } from '../../../brokerage/audit/v1/StatusCount.js';
import type { SagaDurations as _brokerage_audit_v1_SagaDurations, SagaDurations__Output as _brokerage_audit_v1_SagaDurations__Output } from '../../../brokerage/audit/v1/SagaDurations.js';
import type { ReasonCount as _brokerage_audit_v1_ReasonCount, ReasonCount__Output as _brokerage_audit_v1_ReasonCount__Output } from '../../../brokerage/audit/v1/ReasonCount.js';

export interface Analytics {
  'volume'?: (_brokerage_audit_v1_VolumeByAssetDay)[];
  'order_statuses'?: (_brokerage_audit_v1_StatusCount)[];
  'saga_durations'?: (_brokerage_audit_v1_SagaDurations | null);
  'sagas'?: (_brokerage_audit_v1_SagaDurations)[];
  'reasons'?: (_brokerage_audit_v1_ReasonCount)[];
}

export interface Analytics__Output {
  'volume': (_brokerage_audit_v1_VolumeByAssetDay__Output)[];
  'order_statuses': (_brokerage_audit_v1_StatusCount__Output)[];
  'saga_durations': (_brokerage_audit_v1_SagaDurations__Output | null);
  'sagas': (_brokerage_audit_v1_SagaDurations__Output)[];
  'reasons': (_brokerage_audit_v1_ReasonCount__Output)[];
}
