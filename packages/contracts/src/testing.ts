import type { EventData, EventType } from './events/catalogue.js'

// One valid data payload per event type, for tests here and in the services
// (the mapped type makes a new event without a sample a compile error).

const customerId = '6f1c2f7e-9a4b-4d1e-8f3a-2b7c9d0e1a11'
const otherCustomerId = '0b9e8d7c-6a5f-4e3d-9c2b-1a0f9e8d7c22'
const brokerId = 'a3b2c1d0-e9f8-4a7b-8c6d-5e4f3a2b1c33'
const orderId = 'c8d7e6f5-a4b3-4c2d-9e1f-0a9b8c7d6e44'
const otherOrderId = 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f55'
const tradeId = 'e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a866'
const movementId = 'f0e1d2c3-b4a5-4968-8776-655443322177'
const at = '2025-01-31T09:30:00.000Z'

export const SAMPLE_DATA: { readonly [T in EventType]: EventData<T> } = {
  CustomerCreated: {
    customerId,
    name: 'Ayşe Yılmaz',
    email: 'ayse@example.com',
    tier: 'STANDARD',
    status: 'ACTIVE',
    brokerId: null,
    createdAt: at,
  },
  CustomerTierChanged: { customerId, previousTier: 'STANDARD', tier: 'VIP', changedAt: at },
  CustomerStatusChanged: { customerId, previousStatus: 'ACTIVE', status: 'SUSPENDED', changedAt: at },
  BrokerAssigned: { customerId, brokerId, previousBrokerId: null, assignedAt: at },
  DepositRequested: { movementId, customerId, assetName: 'TRY', amount: 1_000_000, requestedAt: at },
  WithdrawalRequested: { movementId, customerId, assetName: 'TRY', amount: 250_000, iban: 'TR330006100519786457841326', requestedAt: at },
  WithdrawalSent: { movementId, customerId, assetName: 'TRY', amount: 250_000, iban: 'TR330006100519786457841326', sentAt: at },

  DepositCompleted: { movementId, customerId, assetName: 'TRY', amount: 1_000_000, completedAt: at },
  DepositRejected: { movementId, customerId, assetName: 'TRY', amount: 1_000_000, reason: 'BALANCE_LIMIT_EXCEEDED', rejectedAt: at },
  WithdrawalReserved: { movementId, customerId, assetName: 'TRY', amount: 250_000, reservedAt: at },
  WithdrawalRejected: { movementId, customerId, assetName: 'TRY', amount: 250_000, reason: 'INSUFFICIENT_BALANCE', rejectedAt: at },
  WithdrawalCompleted: { movementId, customerId, assetName: 'TRY', amount: 250_000, completedAt: at },
  AssetReserved: { orderId, customerId, assetName: 'TRY', amount: 1_500_000, reservedAt: at },
  AssetReservationFailed: {
    orderId,
    customerId,
    assetName: 'TRY',
    amount: 1_500_000,
    availableAmount: 20_000,
    reason: 'INSUFFICIENT_BALANCE',
    failedAt: at,
  },
  AssetReleased: { orderId, customerId, assetName: 'TRY', amount: 900_000, reason: 'ORDER_CANCELLED', releasedAt: at },
  AssetTransferred: {
    tradeId,
    orderId,
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    size: 4,
    price: 14_500,
    changes: [
      { assetName: 'TRY', sizeDelta: -58_000, usableSizeDelta: 2_000 },
      { assetName: 'AAPL', sizeDelta: 4, usableSizeDelta: 4 },
    ],
    transferredAt: at,
  },
  AssetTransferFailed: { tradeId, orderId, customerId, assetName: 'AAPL', reason: 'RESERVATION_MISSING', failedAt: at },

  OrderCreated: { orderId, customerId, assetName: 'AAPL', side: 'BUY', size: 10, price: 15_000, tier: 'VIP', createdAt: at },
  OrderRejected: { orderId, customerId, assetName: 'AAPL', side: 'BUY', reason: 'RESERVATION_TIMEOUT', rejectedAt: at },
  OrderCancelled: {
    orderId,
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    price: 15_000,
    cancelledSize: 6,
    reason: 'REQUESTED',
    cancelledAt: at,
  },
  OrderConfirmed: {
    orderId,
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    size: 10,
    price: 15_000,
    tier: 'VIP',
    createdAt: at,
    confirmedAt: at,
  },
  OrderCancelRequested: { orderId, customerId, assetName: 'AAPL', reason: 'REQUESTED', requestedAt: at },
  MatchRequested: { orderId, customerId, assetName: 'AAPL', requestedBy: brokerId, requestedAt: at },

  MarketSettingsChanged: { assetName: 'AAPL', crossing: true, changedBy: 'admin', changedAt: at },
  OrderMatched: {
    tradeId,
    assetName: 'AAPL',
    price: 14_500,
    size: 4,
    buy: { orderId, customerId, limitPrice: 15_000 },
    sell: { orderId: otherOrderId, customerId: otherCustomerId, limitPrice: 14_500 },
    trigger: 'CROSSING',
    matchedAt: at,
  },
  OrderRemovedFromBook: { orderId, customerId, assetName: 'AAPL', side: 'BUY', price: 15_000, remainingSize: 6, removedAt: at },
  SettlementCompleted: {
    tradeId,
    orderId,
    customerId,
    assetName: 'AAPL',
    side: 'BUY',
    size: 4,
    price: 14_500,
    filledSize: 4,
    remainingSize: 6,
    settledAt: at,
  },
  OrderFailed: { orderId, customerId, assetName: 'AAPL', side: 'BUY', tradeId, filledSize: 0, reason: 'SETTLEMENT_TIMEOUT', failedAt: at },
  NotificationCreated: {
    notificationId: tradeId,
    customerId,
    eventId: orderId,
    eventType: 'OrderFailed',
    title: 'Order failed',
    body: 'Your order could not be settled.',
    createdAt: at,
  },
  SignedIn: { accountId: customerId, role: 'CUSTOMER', customerId, sessionId: tradeId, address: '203.0.113.7', signedInAt: at },
  SignInFailed: {
    accountId: customerId,
    role: 'CUSTOMER',
    customerId,
    usernameHash: 'a'.repeat(64),
    reason: 'BAD_CREDENTIALS',
    address: '203.0.113.7',
    failedAt: at,
  },
  SessionRefreshed: { accountId: customerId, role: 'CUSTOMER', customerId, sessionId: tradeId, address: '203.0.113.7', refreshedAt: at },
  SessionsEnded: {
    accountId: customerId,
    role: 'CUSTOMER',
    customerId,
    sessionIds: [tradeId],
    reason: 'PASSWORD_CHANGED',
    endedBy: customerId,
    address: '203.0.113.7',
    endedAt: at,
  },
  PasswordChanged: { accountId: customerId, role: 'CUSTOMER', customerId, address: '203.0.113.7', changedAt: at },
}
