-- Settlement (OrderMatched). One row per trade the asset service has answered, SETTLED or
-- FAILED: a trade is settled at most once, and the conservation checker finds every trade's
-- journal rows through it (reference_id = trade_id) to prove its legs balance.
CREATE TABLE settlements (
  trade_id uuid PRIMARY KEY,
  asset_name text NOT NULL,
  price bigint NOT NULL CHECK (price > 0),
  size bigint NOT NULL CHECK (size > 0),
  buy_order_id uuid,
  sell_order_id uuid,
  outcome text NOT NULL CHECK (outcome IN ('SETTLED', 'FAILED')),
  event_id uuid NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now()
);

-- An order whose settlement failed (OrderFailed) is closed FAILED: what it still held is
-- released, and a trade of it that arrives later is answered AssetTransferFailed.
ALTER TABLE order_reservations DROP CONSTRAINT order_reservations_closed_by_check;
ALTER TABLE order_reservations ADD CONSTRAINT order_reservations_closed_by_check
  CHECK (closed_by IN ('CANCELLED', 'REJECTED', 'FAILED'));
