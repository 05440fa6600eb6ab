// Original file: proto/identity.proto

import type { Role as _brokerage_common_v1_Role, Role__Output as _brokerage_common_v1_Role__Output } from '../../../brokerage/common/v1/Role.js';
import type { CustomerStatus as _brokerage_common_v1_CustomerStatus, CustomerStatus__Output as _brokerage_common_v1_CustomerStatus__Output } from '../../../brokerage/common/v1/CustomerStatus.js';

export interface Principal {
  'subject'?: (string);
  'role'?: (_brokerage_common_v1_Role);
  'username'?: (string);
  'customer_id'?: (string);
  'broker_id'?: (string);
  'status'?: (_brokerage_common_v1_CustomerStatus);
}

export interface Principal__Output {
  'subject': (string);
  'role': (_brokerage_common_v1_Role__Output);
  'username': (string);
  'customer_id': (string);
  'broker_id': (string);
  'status': (_brokerage_common_v1_CustomerStatus__Output);
}
