import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Analytics as _brokerage_audit_v1_Analytics, Analytics__Output as _brokerage_audit_v1_Analytics__Output } from './brokerage/audit/v1/Analytics.js';
import type { AnalyticsRequest as _brokerage_audit_v1_AnalyticsRequest, AnalyticsRequest__Output as _brokerage_audit_v1_AnalyticsRequest__Output } from './brokerage/audit/v1/AnalyticsRequest.js';
import type { AuditEvent as _brokerage_audit_v1_AuditEvent, AuditEvent__Output as _brokerage_audit_v1_AuditEvent__Output } from './brokerage/audit/v1/AuditEvent.js';
import type { AuditServiceClient as _brokerage_audit_v1_AuditServiceClient, AuditServiceDefinition as _brokerage_audit_v1_AuditServiceDefinition } from './brokerage/audit/v1/AuditService.js';
import type { ComplianceLine as _brokerage_audit_v1_ComplianceLine, ComplianceLine__Output as _brokerage_audit_v1_ComplianceLine__Output } from './brokerage/audit/v1/ComplianceLine.js';
import type { ComplianceReport as _brokerage_audit_v1_ComplianceReport, ComplianceReport__Output as _brokerage_audit_v1_ComplianceReport__Output } from './brokerage/audit/v1/ComplianceReport.js';
import type { ComplianceReportRequest as _brokerage_audit_v1_ComplianceReportRequest, ComplianceReportRequest__Output as _brokerage_audit_v1_ComplianceReportRequest__Output } from './brokerage/audit/v1/ComplianceReportRequest.js';
import type { DerivedBalance as _brokerage_audit_v1_DerivedBalance, DerivedBalance__Output as _brokerage_audit_v1_DerivedBalance__Output } from './brokerage/audit/v1/DerivedBalance.js';
import type { ListEventsRequest as _brokerage_audit_v1_ListEventsRequest, ListEventsRequest__Output as _brokerage_audit_v1_ListEventsRequest__Output } from './brokerage/audit/v1/ListEventsRequest.js';
import type { ListEventsResponse as _brokerage_audit_v1_ListEventsResponse, ListEventsResponse__Output as _brokerage_audit_v1_ListEventsResponse__Output } from './brokerage/audit/v1/ListEventsResponse.js';
import type { ReasonCount as _brokerage_audit_v1_ReasonCount, ReasonCount__Output as _brokerage_audit_v1_ReasonCount__Output } from './brokerage/audit/v1/ReasonCount.js';
import type { SagaDurations as _brokerage_audit_v1_SagaDurations, SagaDurations__Output as _brokerage_audit_v1_SagaDurations__Output } from './brokerage/audit/v1/SagaDurations.js';
import type { StatusCount as _brokerage_audit_v1_StatusCount, StatusCount__Output as _brokerage_audit_v1_StatusCount__Output } from './brokerage/audit/v1/StatusCount.js';
import type { VolumeByAssetDay as _brokerage_audit_v1_VolumeByAssetDay, VolumeByAssetDay__Output as _brokerage_audit_v1_VolumeByAssetDay__Output } from './brokerage/audit/v1/VolumeByAssetDay.js';
import type { Actor as _brokerage_common_v1_Actor, Actor__Output as _brokerage_common_v1_Actor__Output } from './brokerage/common/v1/Actor.js';
import type { PageInfo as _brokerage_common_v1_PageInfo, PageInfo__Output as _brokerage_common_v1_PageInfo__Output } from './brokerage/common/v1/PageInfo.js';
import type { PageRequest as _brokerage_common_v1_PageRequest, PageRequest__Output as _brokerage_common_v1_PageRequest__Output } from './brokerage/common/v1/PageRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  brokerage: {
    audit: {
      v1: {
        Analytics: MessageTypeDefinition<_brokerage_audit_v1_Analytics, _brokerage_audit_v1_Analytics__Output>
        AnalyticsRequest: MessageTypeDefinition<_brokerage_audit_v1_AnalyticsRequest, _brokerage_audit_v1_AnalyticsRequest__Output>
        AuditEvent: MessageTypeDefinition<_brokerage_audit_v1_AuditEvent, _brokerage_audit_v1_AuditEvent__Output>
        AuditService: SubtypeConstructor<typeof grpc.Client, _brokerage_audit_v1_AuditServiceClient> & { service: _brokerage_audit_v1_AuditServiceDefinition }
        ComplianceLine: MessageTypeDefinition<_brokerage_audit_v1_ComplianceLine, _brokerage_audit_v1_ComplianceLine__Output>
        ComplianceReport: MessageTypeDefinition<_brokerage_audit_v1_ComplianceReport, _brokerage_audit_v1_ComplianceReport__Output>
        ComplianceReportRequest: MessageTypeDefinition<_brokerage_audit_v1_ComplianceReportRequest, _brokerage_audit_v1_ComplianceReportRequest__Output>
        DerivedBalance: MessageTypeDefinition<_brokerage_audit_v1_DerivedBalance, _brokerage_audit_v1_DerivedBalance__Output>
        ListEventsRequest: MessageTypeDefinition<_brokerage_audit_v1_ListEventsRequest, _brokerage_audit_v1_ListEventsRequest__Output>
        ListEventsResponse: MessageTypeDefinition<_brokerage_audit_v1_ListEventsResponse, _brokerage_audit_v1_ListEventsResponse__Output>
        ReasonCount: MessageTypeDefinition<_brokerage_audit_v1_ReasonCount, _brokerage_audit_v1_ReasonCount__Output>
        SagaDurations: MessageTypeDefinition<_brokerage_audit_v1_SagaDurations, _brokerage_audit_v1_SagaDurations__Output>
        StatusCount: MessageTypeDefinition<_brokerage_audit_v1_StatusCount, _brokerage_audit_v1_StatusCount__Output>
        VolumeByAssetDay: MessageTypeDefinition<_brokerage_audit_v1_VolumeByAssetDay, _brokerage_audit_v1_VolumeByAssetDay__Output>
      }
    }
    common: {
      v1: {
        Actor: MessageTypeDefinition<_brokerage_common_v1_Actor, _brokerage_common_v1_Actor__Output>
        CustomerStatus: EnumTypeDefinition
        PageInfo: MessageTypeDefinition<_brokerage_common_v1_PageInfo, _brokerage_common_v1_PageInfo__Output>
        PageRequest: MessageTypeDefinition<_brokerage_common_v1_PageRequest, _brokerage_common_v1_PageRequest__Output>
        Role: EnumTypeDefinition
        Side: EnumTypeDefinition
        Tier: EnumTypeDefinition
      }
    }
  }
}

