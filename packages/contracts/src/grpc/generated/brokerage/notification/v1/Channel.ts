// Original file: proto/notification.proto

export const Channel = {
  CHANNEL_UNSPECIFIED: 'CHANNEL_UNSPECIFIED',
  EMAIL: 'EMAIL',
  SMS: 'SMS',
  WEB_PUSH: 'WEB_PUSH',
  WEBSOCKET: 'WEBSOCKET',
} as const;

export type Channel =
  | 'CHANNEL_UNSPECIFIED'
  | 0
  | 'EMAIL'
  | 1
  | 'SMS'
  | 2
  | 'WEB_PUSH'
  | 3
  | 'WEBSOCKET'
  | 4

export type Channel__Output = typeof Channel[keyof typeof Channel]
