import type * as pb from '@brokerage/contracts/grpc'

// gRPC messages → the REST API's JSON (camelCase, absent values as null, integers as is).
// proto3 has no null: an empty string means "none" (common.proto), which JSON says with null.

const orNull = (s: string): string | null => (s === '' ? null : s)

/** Any List…Response: a page of items and where it stands. */
export function page<T, J>(
  res: { content: T[]; page: pb.PageInfo__Output | null },
  map: (item: T) => J,
  requested: { page: number; size: number },
) {
  return {
    content: res.content.map(map),
    page: res.page?.page ?? requested.page,
    size: res.page?.size || requested.size,
    totalElements: res.page?.total_elements ?? res.content.length,
  }
}

export function customer(c: pb.Customer__Output) {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    tier: c.tier,
    status: c.status,
    brokerId: orNull(c.broker_id),
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  }
}

export function broker(b: pb.Broker__Output) {
  return { id: b.id, name: b.name, email: b.email, createdAt: b.created_at }
}

export function movement(m: pb.Movement__Output) {
  return {
    id: m.id,
    customerId: m.customer_id,
    kind: m.kind,
    assetName: m.asset_name,
    amount: m.amount,
    iban: orNull(m.iban),
    status: m.status,
    rejectionReason: orNull(m.rejection_reason),
    createdAt: m.created_at,
    updatedAt: m.updated_at,
  }
}

export function balance(b: pb.Balance__Output) {
  return { customerId: b.customer_id, assetName: b.asset_name, size: b.size, usableSize: b.usable_size }
}

export function order(o: pb.Order__Output) {
  return {
    id: o.id,
    customerId: o.customer_id,
    assetName: o.asset_name,
    side: o.side,
    size: o.size,
    price: o.price,
    filledSize: o.filled_size,
    status: o.status,
    rejectionReason: orNull(o.rejection_reason),
    createdAt: o.created_at,
    updatedAt: o.updated_at,
  }
}

export function orderWithHistory(o: pb.Order__Output) {
  return {
    ...order(o),
    history: o.history.map((h) => ({
      status: h.status,
      at: h.at,
      eventId: orNull(h.event_id),
      eventType: orNull(h.event_type),
      reason: orNull(h.reason),
    })),
  }
}

export function trade(t: pb.Trade__Output) {
  return {
    tradeId: t.trade_id,
    orderId: t.order_id,
    assetName: t.asset_name,
    side: t.side,
    size: t.size,
    price: t.price,
    settledAt: t.settled_at,
  }
}

export function market(m: pb.Market__Output) {
  return { assetName: m.asset_name, crossing: m.crossing, updatedAt: orNull(m.updated_at) }
}

export function orderBook(b: pb.OrderBook__Output) {
  const level = (l: pb.PriceLevel__Output) => ({ price: l.price, size: l.size, orders: l.orders })
  return { assetName: b.asset_name, bids: b.bids.map(level), asks: b.asks.map(level), asOf: b.as_of }
}

export function notification(n: pb.Notification__Output) {
  return {
    id: n.id,
    customerId: n.customer_id,
    eventId: n.event_id,
    eventType: n.event_type,
    title: n.title,
    body: n.body,
    createdAt: n.created_at,
    deliveries: n.deliveries.map((d) => ({
      channel: d.channel,
      status: d.status,
      attempts: d.attempts,
      lastError: orNull(d.last_error),
      sentAt: orNull(d.sent_at),
      createdAt: orNull(d.created_at),
      updatedAt: orNull(d.updated_at),
      nextAttemptAt: orNull(d.next_attempt_at),
    })),
  }
}

export function preferences(p: pb.Preferences__Output) {
  return {
    customerId: p.customer_id,
    preferences: p.preferences.map((x) => ({ eventType: x.event_type, channel: x.channel, enabled: x.enabled })),
  }
}
