// One partition key per topic, so per-key order means one thing per topic:
// a customer's events stay in order (SPEC §5), and the engine, single writer
// per asset, reads one asset's commands in order.

export const TOPICS = {
  customer: 'customer.events',
  asset: 'asset.events',
  // The asset service's answers to deposits and withdrawals, apart from its order answers: the
  // customer service reads only these, and the order service never reads them.
  assetMovements: 'asset.movements',
  order: 'order.events',
  engine: 'engine.commands',
  processor: 'processor.events',
  trade: 'trade.events',
  notification: 'notification.events',
  // The gateway's sign-in facts (sign-ins, refreshes, ended sessions, password changes), for the audit trail.
  security: 'security.events',
} as const

export type TopicName = keyof typeof TOPICS
export type Topic = (typeof TOPICS)[TopicName]

export const TOPIC_KEY = {
  'customer.events': 'customerId',
  'asset.events': 'customerId',
  'asset.movements': 'customerId',
  'order.events': 'customerId',
  'engine.commands': 'assetName',
  'processor.events': 'customerId',
  'trade.events': 'assetName',
  'notification.events': 'customerId',
  'security.events': 'accountId',
} as const satisfies Record<Topic, string>

export type KeyField<T extends Topic> = (typeof TOPIC_KEY)[T]
