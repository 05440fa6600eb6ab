-- One row per order: when each step of its saga first happened, kept by the appender in the
-- transaction that stores the step. Analytics reads the orders created in a period here (an
-- index range) instead of following each order through the log. Derived from the log: not
-- chained, and it may be rebuilt from it (the backfill below is that rebuild). Steps arrive
-- from different topics in any order, so every column is a min or an or, and a step stored
-- twice changes nothing.

CREATE TABLE order_sagas (
  order_id uuid PRIMARY KEY,
  created_at timestamptz,              -- OrderCreated; null while a later step arrived first
  confirmed_at timestamptz,            -- OrderConfirmed
  first_fill_at timestamptz,           -- the first SettlementCompleted of the order
  matched_at timestamptz,              -- the SettlementCompleted that left nothing to fill
  rejected boolean NOT NULL DEFAULT false,
  cancelled boolean NOT NULL DEFAULT false,
  failed boolean NOT NULL DEFAULT false
);
CREATE INDEX order_sagas_created ON order_sagas (created_at);

INSERT INTO order_sagas (order_id, created_at, confirmed_at, first_fill_at, matched_at, rejected, cancelled, failed)
SELECT (data->>'orderId')::uuid,
  min(occurred_at) FILTER (WHERE type = 'OrderCreated'),
  min(occurred_at) FILTER (WHERE type = 'OrderConfirmed'),
  min(occurred_at) FILTER (WHERE type = 'SettlementCompleted'),
  min(occurred_at) FILTER (WHERE type = 'SettlementCompleted' AND (data->>'remainingSize')::bigint = 0),
  bool_or(type = 'OrderRejected'), bool_or(type = 'OrderCancelled'), bool_or(type = 'OrderFailed')
FROM audit_log
WHERE type IN ('OrderCreated', 'OrderConfirmed', 'SettlementCompleted', 'OrderRejected', 'OrderCancelled', 'OrderFailed')
  AND topic NOT LIKE '%.dlq'
  AND data->>'orderId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
GROUP BY 1;
