// Original file: proto/common.proto

export const Role = {
  ROLE_UNSPECIFIED: 'ROLE_UNSPECIFIED',
  CUSTOMER: 'CUSTOMER',
  BROKER: 'BROKER',
  ADMIN: 'ADMIN',
} as const;

export type Role =
  | 'ROLE_UNSPECIFIED'
  | 0
  | 'CUSTOMER'
  | 1
  | 'BROKER'
  | 2
  | 'ADMIN'
  | 3

export type Role__Output = typeof Role[keyof typeof Role]
