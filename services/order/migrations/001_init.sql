-- What the order service knows of each customer, from customer.events. Each field
-- carries the time of the event that set it, so an older event never overwrites a newer
-- one; `registered` says CustomerCreated has been seen (only then may orders be placed).
CREATE TABLE customers (
  customer_id uuid PRIMARY KEY,
  registered boolean NOT NULL DEFAULT false,
  tier text CHECK (tier IN ('STANDARD', 'PREMIUM', 'VIP')),
  tier_at timestamptz,
  status text CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  status_at timestamptz,
  broker_id uuid,
  broker_at timestamptz
);
CREATE INDEX customers_broker ON customers (broker_id) WHERE broker_id IS NOT NULL;

CREATE TABLE orders (
  id uuid PRIMARY KEY,
  -- Tie-break for "newest first" when two orders share a created_at.
  seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  size bigint NOT NULL CHECK (size > 0),
  price bigint NOT NULL CHECK (price > 0),
  filled_size bigint NOT NULL DEFAULT 0 CHECK (filled_size >= 0 AND filled_size <= size),
  tier text NOT NULL CHECK (tier IN ('STANDARD', 'PREMIUM', 'VIP')),
  status text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'PARTIALLY_FILLED', 'MATCHED', 'REJECTED', 'CANCELED', 'FAILED')),
  rejection_reason text,
  -- A booked order's cancel waits for the engine (OrderRemovedFromBook); set while it is in flight.
  cancel_requested_at timestamptz,
  cancel_reason text CHECK (cancel_reason IN ('REQUESTED', 'CUSTOMER_SUSPENDED')),
  -- The placing request's id, so events the sweeper emits later stay in the order's flow.
  correlation_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX orders_newest ON orders (created_at DESC, seq DESC);
CREATE INDEX orders_customer_newest ON orders (customer_id, created_at DESC, seq DESC);
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'PENDING';
CREATE INDEX orders_open_by_customer ON orders (customer_id) WHERE status IN ('PENDING', 'CONFIRMED', 'PARTIALLY_FILLED');

-- Every transition (and every request recorded against a booked order), oldest first by id.
CREATE TABLE order_status_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders (id),
  status text NOT NULL,
  at timestamptz NOT NULL,
  event_id uuid,
  event_type text,
  reason text
);
CREATE INDEX order_status_history_order ON order_status_history (order_id, id);

-- CreateOrder's idempotency keys, per customer so one customer's key never answers another's request.
CREATE TABLE idempotency_keys (
  customer_id uuid NOT NULL,
  key text NOT NULL,
  request text NOT NULL,
  order_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, key)
);

-- Fills of an order, written when settlement completes (a later issue); ListTrades reads them.
CREATE TABLE trades (
  trade_id uuid NOT NULL,
  order_id uuid NOT NULL REFERENCES orders (id),
  asset_name text NOT NULL,
  side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  size bigint NOT NULL CHECK (size > 0),
  price bigint NOT NULL CHECK (price > 0),
  settled_at timestamptz NOT NULL,
  PRIMARY KEY (trade_id, order_id)
);
CREATE INDEX trades_order ON trades (order_id, settled_at DESC);
