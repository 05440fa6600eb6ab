// Original file: proto/customer.proto

import type { MovementKind as _brokerage_customer_v1_MovementKind, MovementKind__Output as _brokerage_customer_v1_MovementKind__Output } from '../../../brokerage/customer/v1/MovementKind.js';
import type { MovementStatus as _brokerage_customer_v1_MovementStatus, MovementStatus__Output as _brokerage_customer_v1_MovementStatus__Output } from '../../../brokerage/customer/v1/MovementStatus.js';
import type { Long } from '@grpc/proto-loader';

export interface Movement {
  'id'?: (string);
  'customer_id'?: (string);
  'kind'?: (_brokerage_customer_v1_MovementKind);
  'asset_name'?: (string);
  'amount'?: (number | string | Long);
  'iban'?: (string);
  'status'?: (_brokerage_customer_v1_MovementStatus);
  'rejection_reason'?: (string);
  'created_at'?: (string);
  'updated_at'?: (string);
}

export interface Movement__Output {
  'id': (string);
  'customer_id': (string);
  'kind': (_brokerage_customer_v1_MovementKind__Output);
  'asset_name': (string);
  'amount': (number);
  'iban': (string);
  'status': (_brokerage_customer_v1_MovementStatus__Output);
  'rejection_reason': (string);
  'created_at': (string);
  'updated_at': (string);
}
