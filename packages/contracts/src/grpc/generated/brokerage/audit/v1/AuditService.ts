// Original file: proto/audit.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Analytics as _brokerage_audit_v1_Analytics, Analytics__Output as _brokerage_audit_v1_Analytics__Output } from '../../../brokerage/audit/v1/Analytics.js';
import type { AnalyticsRequest as _brokerage_audit_v1_AnalyticsRequest, AnalyticsRequest__Output as _brokerage_audit_v1_AnalyticsRequest__Output } from '../../../brokerage/audit/v1/AnalyticsRequest.js';
import type { ComplianceReport as _brokerage_audit_v1_ComplianceReport, ComplianceReport__Output as _brokerage_audit_v1_ComplianceReport__Output } from '../../../brokerage/audit/v1/ComplianceReport.js';
import type { ComplianceReportRequest as _brokerage_audit_v1_ComplianceReportRequest, ComplianceReportRequest__Output as _brokerage_audit_v1_ComplianceReportRequest__Output } from '../../../brokerage/audit/v1/ComplianceReportRequest.js';
import type { ListEventsRequest as _brokerage_audit_v1_ListEventsRequest, ListEventsRequest__Output as _brokerage_audit_v1_ListEventsRequest__Output } from '../../../brokerage/audit/v1/ListEventsRequest.js';
import type { ListEventsResponse as _brokerage_audit_v1_ListEventsResponse, ListEventsResponse__Output as _brokerage_audit_v1_ListEventsResponse__Output } from '../../../brokerage/audit/v1/ListEventsResponse.js';

export interface AuditServiceClient extends grpc.Client {
  GetAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  GetAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  GetAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  GetAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  getAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  getAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  getAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  getAnalytics(argument: _brokerage_audit_v1_AnalyticsRequest, callback: grpc.requestCallback<_brokerage_audit_v1_Analytics__Output>): grpc.ClientUnaryCall;
  
  GetComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  GetComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  GetComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  GetComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  getComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  getComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  getComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  getComplianceReport(argument: _brokerage_audit_v1_ComplianceReportRequest, callback: grpc.requestCallback<_brokerage_audit_v1_ComplianceReport__Output>): grpc.ClientUnaryCall;
  
  ListEvents(argument: _brokerage_audit_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _brokerage_audit_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _brokerage_audit_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  ListEvents(argument: _brokerage_audit_v1_ListEventsRequest, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _brokerage_audit_v1_ListEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _brokerage_audit_v1_ListEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _brokerage_audit_v1_ListEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  listEvents(argument: _brokerage_audit_v1_ListEventsRequest, callback: grpc.requestCallback<_brokerage_audit_v1_ListEventsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface AuditServiceHandlers extends grpc.UntypedServiceImplementation {
  GetAnalytics: grpc.handleUnaryCall<_brokerage_audit_v1_AnalyticsRequest__Output, _brokerage_audit_v1_Analytics>;
  
  GetComplianceReport: grpc.handleUnaryCall<_brokerage_audit_v1_ComplianceReportRequest__Output, _brokerage_audit_v1_ComplianceReport>;
  
  ListEvents: grpc.handleUnaryCall<_brokerage_audit_v1_ListEventsRequest__Output, _brokerage_audit_v1_ListEventsResponse>;
  
}

export interface AuditServiceDefinition extends grpc.ServiceDefinition {
  GetAnalytics: MethodDefinition<_brokerage_audit_v1_AnalyticsRequest, _brokerage_audit_v1_Analytics, _brokerage_audit_v1_AnalyticsRequest__Output, _brokerage_audit_v1_Analytics__Output>
  GetComplianceReport: MethodDefinition<_brokerage_audit_v1_ComplianceReportRequest, _brokerage_audit_v1_ComplianceReport, _brokerage_audit_v1_ComplianceReportRequest__Output, _brokerage_audit_v1_ComplianceReport__Output>
  ListEvents: MethodDefinition<_brokerage_audit_v1_ListEventsRequest, _brokerage_audit_v1_ListEventsResponse, _brokerage_audit_v1_ListEventsRequest__Output, _brokerage_audit_v1_ListEventsResponse__Output>
}
