// Schema ids of the local registry (embedded broker), by `Type@version`.
// An id names one exact writer schema forever: never change or reuse one, and
// append new ones with the next free number. A test fails while an event
// version has no id here, or a published one lost its id.

export const REGISTRY_IDS: Readonly<Record<string, number>> = {
  'CustomerCreated@1': 1,
  'CustomerTierChanged@1': 2,
  'CustomerStatusChanged@1': 3,
  'BrokerAssigned@1': 4,
  'DepositRequested@1': 5,
  'WithdrawalRequested@1': 6,
  'DepositCompleted@1': 7,
  'WithdrawalReserved@1': 8,
  'WithdrawalRejected@1': 9,
  'WithdrawalCompleted@1': 10,
  'AssetReserved@1': 11,
  'AssetReservationFailed@1': 12,
  'AssetReleased@1': 13,
  'AssetTransferred@1': 14,
  'AssetTransferFailed@1': 15,
  'OrderCreated@1': 16,
  'OrderRejected@1': 17,
  'OrderCancelled@1': 18,
  'OrderConfirmed@1': 19,
  'OrderCancelRequested@1': 20,
  'MatchRequested@1': 21,
  'MarketSettingsChanged@1': 22,
  'OrderMatched@1': 23,
  'OrderRemovedFromBook@1': 24,
  'SettlementCompleted@1': 25,
  'OrderFailed@1': 26,
  'WithdrawalSent@1': 27,
  'DepositRejected@1': 28,
  'NotificationCreated@1': 29,
}
