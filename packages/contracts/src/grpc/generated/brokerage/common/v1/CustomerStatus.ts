// Original file: proto/common.proto

export const CustomerStatus = {
  CUSTOMER_STATUS_UNSPECIFIED: 'CUSTOMER_STATUS_UNSPECIFIED',
  ACTIVE: 'ACTIVE',
  SUSPENDED: 'SUSPENDED',
} as const;

export type CustomerStatus =
  | 'CUSTOMER_STATUS_UNSPECIFIED'
  | 0
  | 'ACTIVE'
  | 1
  | 'SUSPENDED'
  | 2

export type CustomerStatus__Output = typeof CustomerStatus[keyof typeof CustomerStatus]
