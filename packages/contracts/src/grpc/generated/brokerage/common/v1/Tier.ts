// Original file: proto/common.proto

export const Tier = {
  TIER_UNSPECIFIED: 'TIER_UNSPECIFIED',
  STANDARD: 'STANDARD',
  PREMIUM: 'PREMIUM',
  VIP: 'VIP',
} as const;

export type Tier =
  | 'TIER_UNSPECIFIED'
  | 0
  | 'STANDARD'
  | 1
  | 'PREMIUM'
  | 2
  | 'VIP'
  | 3

export type Tier__Output = typeof Tier[keyof typeof Tier]
