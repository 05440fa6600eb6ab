-- The engine's state per asset: the crossing flag as the engine applies it (when
-- MarketSettingsChanged reaches it through its input) and the arrival counter. Its row is
-- locked for every command, so an asset's book has one writer even while partitions move.
CREATE TABLE books (
  asset_name text PRIMARY KEY,
  crossing boolean NOT NULL DEFAULT false,
  next_seq bigint NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every order the engine has booked. `resting` while it is in the book; afterwards the row
-- stays (remaining 0) so a later cancel can be answered with the order's side and price.
CREATE TABLE book_orders (
  order_id uuid PRIMARY KEY,
  asset_name text NOT NULL REFERENCES books (asset_name),
  customer_id uuid NOT NULL,
  side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  price bigint NOT NULL CHECK (price > 0),
  size bigint NOT NULL CHECK (size > 0),
  remaining bigint NOT NULL CHECK (remaining >= 0 AND remaining <= size),
  tier text NOT NULL CHECK (tier IN ('STANDARD', 'PREMIUM', 'VIP')),
  placed_at timestamptz NOT NULL,
  seq bigint NOT NULL,
  resting boolean NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX book_orders_resting ON book_orders (asset_name) WHERE resting;

-- Cancels that reached the engine before the order they name; answered when it arrives.
CREATE TABLE early_cancels (
  order_id uuid PRIMARY KEY,
  asset_name text NOT NULL REFERENCES books (asset_name),
  customer_id uuid NOT NULL,
  reason text NOT NULL,
  requested_at timestamptz NOT NULL
);

-- Market settings as an admin set them (SetMarket). The engine's own copy is books.crossing.
CREATE TABLE markets (
  asset_name text PRIMARY KEY,
  crossing boolean NOT NULL,
  changed_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
