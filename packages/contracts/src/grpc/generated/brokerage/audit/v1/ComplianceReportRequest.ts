// Original file: proto/audit.proto


export interface ComplianceReportRequest {
  'from'?: (string);
  'to'?: (string);
  'customer_id'?: (string);
}

export interface ComplianceReportRequest__Output {
  'from': (string);
  'to': (string);
  'customer_id': (string);
}
