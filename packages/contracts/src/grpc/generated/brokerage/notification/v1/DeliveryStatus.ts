// Original file: proto/notification.proto

export const DeliveryStatus = {
  DELIVERY_STATUS_UNSPECIFIED: 'DELIVERY_STATUS_UNSPECIFIED',
  PENDING: 'PENDING',
  SENT: 'SENT',
  FAILED: 'FAILED',
} as const;

export type DeliveryStatus =
  | 'DELIVERY_STATUS_UNSPECIFIED'
  | 0
  | 'PENDING'
  | 1
  | 'SENT'
  | 2
  | 'FAILED'
  | 3

export type DeliveryStatus__Output = typeof DeliveryStatus[keyof typeof DeliveryStatus]
