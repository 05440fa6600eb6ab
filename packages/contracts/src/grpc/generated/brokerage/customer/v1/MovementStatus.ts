// Original file: proto/customer.proto

export const MovementStatus = {
  MOVEMENT_STATUS_UNSPECIFIED: 'MOVEMENT_STATUS_UNSPECIFIED',
  REQUESTED: 'REQUESTED',
  RESERVED: 'RESERVED',
  COMPLETED: 'COMPLETED',
  REJECTED: 'REJECTED',
} as const;

export type MovementStatus =
  | 'MOVEMENT_STATUS_UNSPECIFIED'
  | 0
  | 'REQUESTED'
  | 1
  | 'RESERVED'
  | 2
  | 'COMPLETED'
  | 3
  | 'REJECTED'
  | 4

export type MovementStatus__Output = typeof MovementStatus[keyof typeof MovementStatus]
