// Original file: proto/order.proto

export const OrderStatus = {
  ORDER_STATUS_UNSPECIFIED: 'ORDER_STATUS_UNSPECIFIED',
  PENDING: 'PENDING',
  CONFIRMED: 'CONFIRMED',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  MATCHED: 'MATCHED',
  REJECTED: 'REJECTED',
  CANCELED: 'CANCELED',
  FAILED: 'FAILED',
} as const;

export type OrderStatus =
  | 'ORDER_STATUS_UNSPECIFIED'
  | 0
  | 'PENDING'
  | 1
  | 'CONFIRMED'
  | 2
  | 'PARTIALLY_FILLED'
  | 3
  | 'MATCHED'
  | 4
  | 'REJECTED'
  | 5
  | 'CANCELED'
  | 6
  | 'FAILED'
  | 7

export type OrderStatus__Output = typeof OrderStatus[keyof typeof OrderStatus]
