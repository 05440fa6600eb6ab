// The messages of packages/contracts/proto as the platform's proto-loader options deliver
// them (keepCase: snake_case fields, enums as strings, int64 as numbers, defaults filled).

export type Role = 'CUSTOMER' | 'BROKER' | 'ADMIN'

export interface Actor {
  subject: string
  role: Role
  request_id: string
  traceparent: string
}

export interface PageRequest {
  page: number
  size: number
}

export interface PageInfo {
  page: number
  size: number
  total_elements: number
}

export interface Paged<T> {
  content: T[]
  page: PageInfo | null
}

export interface Principal {
  subject: string
  role: string
  username: string
  customer_id: string
  broker_id: string
  status: string
}

export interface Customer {
  id: string
  name: string
  email: string
  tier: string
  status: string
  broker_id: string
  created_at: string
  updated_at: string
}

export interface Broker {
  id: string
  name: string
  email: string
  created_at: string
}

export interface Movement {
  id: string
  customer_id: string
  kind: string
  asset_name: string
  amount: number
  iban: string
  status: string
  rejection_reason: string
  created_at: string
  updated_at: string
}

export interface Balance {
  customer_id: string
  asset_name: string
  size: number
  usable_size: number
}

export interface StatusChange {
  status: string
  at: string
  event_id: string
  event_type: string
  reason: string
}

export interface Order {
  id: string
  customer_id: string
  asset_name: string
  side: string
  size: number
  price: number
  filled_size: number
  status: string
  rejection_reason: string
  created_at: string
  updated_at: string
  history: StatusChange[]
}

export interface CreateOrderResponse {
  order: Order | null
  replayed: boolean
}

export interface Trade {
  trade_id: string
  order_id: string
  asset_name: string
  side: string
  size: number
  price: number
  settled_at: string
}

export interface Market {
  asset_name: string
  crossing: boolean
  updated_at: string
}

export interface PriceLevel {
  price: number
  size: number
  orders: number
}

export interface OrderBook {
  asset_name: string
  bids: PriceLevel[]
  asks: PriceLevel[]
  as_of: string
}

export interface Delivery {
  channel: string
  status: string
  attempts: number
  last_error: string
  sent_at: string
}

export interface Notification {
  id: string
  customer_id: string
  event_id: string
  event_type: string
  title: string
  body: string
  created_at: string
  deliveries: Delivery[]
}

export interface Preference {
  event_type: string
  channel: string
  enabled: boolean
}

export interface Preferences {
  customer_id: string
  preferences: Preference[]
}

export interface AuditEvent {
  sequence: number
  event_id: string
  type: string
  version: number
  topic: string
  key: string
  occurred_at: string
  recorded_at: string
  correlation_id: string
  causation_id: string
  data_json: string
  hash: string
  prev_hash: string
}

export interface ComplianceReport {
  generated_at: string
  from: string
  to: string
  chain_intact: boolean
  first_broken_sequence: number
  head_hash: string
  event_count: number
  events: AuditEvent[]
}

export interface Analytics {
  volume: Array<{ asset_name: string; day: string; size: number; notional: number; trades: number }>
  order_statuses: Array<{ status: string; orders: number }>
  saga_durations: { count: number; p50_ms: number; p95_ms: number; max_ms: number } | null
}
