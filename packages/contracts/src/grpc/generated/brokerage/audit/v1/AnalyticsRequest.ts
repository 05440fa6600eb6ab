// Original file: proto/audit.proto


export interface AnalyticsRequest {
  'from'?: (string);
  'to'?: (string);
}

export interface AnalyticsRequest__Output {
  'from': (string);
  'to': (string);
}
