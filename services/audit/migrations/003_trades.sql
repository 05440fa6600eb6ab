-- One row per settled trade: its asset, size, price and the time of its first SettlementCompleted
-- (one is published per customer order of the trade, so two per trade, or one stored twice).
-- Kept by the appender in the transaction that stores the settlement, as order_sagas is; the
-- volume analytics read a period's trades here (an index range) instead of every settlement of
-- the period's JSON in the log. Derived from the log: not chained, and the backfill below is its
-- rebuild.

CREATE TABLE trades (
  trade_id text PRIMARY KEY,
  asset_name text NOT NULL,
  settled_at timestamptz NOT NULL,     -- occurred_at of the trade's first SettlementCompleted
  size bigint NOT NULL,
  price bigint NOT NULL
);
CREATE INDEX trades_settled ON trades (settled_at);

INSERT INTO trades (trade_id, asset_name, settled_at, size, price)
SELECT DISTINCT ON (data->>'tradeId') data->>'tradeId', data->>'assetName', occurred_at, (data->>'size')::bigint, (data->>'price')::bigint
FROM audit_log
WHERE type = 'SettlementCompleted' AND topic NOT LIKE '%.dlq'
  AND jsonb_typeof(data->'tradeId') = 'string' AND jsonb_typeof(data->'assetName') = 'string'
  AND jsonb_typeof(data->'size') = 'number' AND jsonb_typeof(data->'price') = 'number'
ORDER BY data->>'tradeId', occurred_at;
