// Original file: proto/customer.proto

export const MovementKind = {
  MOVEMENT_KIND_UNSPECIFIED: 'MOVEMENT_KIND_UNSPECIFIED',
  DEPOSIT: 'DEPOSIT',
  WITHDRAWAL: 'WITHDRAWAL',
} as const;

export type MovementKind =
  | 'MOVEMENT_KIND_UNSPECIFIED'
  | 0
  | 'DEPOSIT'
  | 1
  | 'WITHDRAWAL'
  | 2

export type MovementKind__Output = typeof MovementKind[keyof typeof MovementKind]
