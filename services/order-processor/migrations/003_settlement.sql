-- The settlement saga: one row per customer leg of every trade the engine made, written in
-- the transaction that emits its OrderMatched. A leg is PENDING until the asset service
-- answers for its trade (AssetTransferred → SETTLED; AssetTransferFailed → FAILED) or the
-- sweeper gives up on it (FAILED, SETTLEMENT_TIMEOUT). A MARKET side has no leg.
CREATE TABLE settlement_legs (
  trade_id uuid NOT NULL,
  order_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  size bigint NOT NULL CHECK (size > 0),
  price bigint NOT NULL CHECK (price > 0),
  -- The order's whole size, so SettlementCompleted can say what is left of it.
  order_size bigint NOT NULL CHECK (order_size >= size),
  status text NOT NULL CHECK (status IN ('PENDING', 'SETTLED', 'FAILED')),
  failure_reason text CHECK (failure_reason IN ('SETTLEMENT_TIMEOUT', 'SETTLEMENT_REJECTED')),
  matched_at timestamptz NOT NULL,
  closed_at timestamptz,
  PRIMARY KEY (trade_id, order_id)
);
CREATE INDEX settlement_legs_pending ON settlement_legs (matched_at) WHERE status = 'PENDING';
CREATE INDEX settlement_legs_order ON settlement_legs (order_id);
