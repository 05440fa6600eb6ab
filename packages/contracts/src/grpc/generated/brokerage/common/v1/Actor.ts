// Original file: proto/common.proto

import type { Role as _brokerage_common_v1_Role, Role__Output as _brokerage_common_v1_Role__Output } from '../../../brokerage/common/v1/Role.js';

export interface Actor {
  'subject'?: (string);
  'role'?: (_brokerage_common_v1_Role);
  'request_id'?: (string);
  'traceparent'?: (string);
}

export interface Actor__Output {
  'subject': (string);
  'role': (_brokerage_common_v1_Role__Output);
  'request_id': (string);
  'traceparent': (string);
}
