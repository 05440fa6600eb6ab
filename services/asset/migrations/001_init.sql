-- Balances, the journal every balance is the sum of, and what is held for orders and
-- withdrawals. Money is BIGINT minor units, kept within ±(2^53−1) so it stays exact in JS.
-- 00000000-0000-0000-0000-000000000001 is the MARKET account (src/accounts.ts): the
-- outside market's side of fills, the one account allowed to go negative.

CREATE TABLE balances (
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  size bigint NOT NULL DEFAULT 0,
  usable_size bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (customer_id, asset_name),
  CONSTRAINT balances_safe_integers CHECK (
    size BETWEEN -9007199254740991 AND 9007199254740991
    AND usable_size BETWEEN -9007199254740991 AND 9007199254740991
  ),
  CONSTRAINT balances_usable_not_negative CHECK (
    customer_id = '00000000-0000-0000-0000-000000000001' OR usable_size >= 0
  ),
  CONSTRAINT balances_usable_within_size CHECK (
    customer_id = '00000000-0000-0000-0000-000000000001' OR usable_size <= size
  )
);
CREATE INDEX balances_by_asset ON balances (asset_name, customer_id);

-- One row per balance change; append-only.
CREATE TABLE journal (
  id bigserial PRIMARY KEY,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  size_delta bigint NOT NULL,
  usable_size_delta bigint NOT NULL,
  cause_event_id uuid NOT NULL,
  cause_event_type text NOT NULL,
  -- The order, movement or trade the change belongs to.
  reference_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (customer_id, asset_name) REFERENCES balances (customer_id, asset_name),
  CONSTRAINT journal_not_empty CHECK (size_delta <> 0 OR usable_size_delta <> 0),
  -- An event changes a balance row at most once: a second application is a bug, refused here.
  CONSTRAINT journal_once_per_event UNIQUE (cause_event_id, customer_id, asset_name)
);
CREATE INDEX journal_by_account ON journal (customer_id, asset_name);
CREATE INDEX journal_by_reference ON journal (reference_id);

CREATE FUNCTION journal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journal is append-only';
END $$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal
  FOR EACH ROW EXECUTE FUNCTION journal_append_only();

CREATE TABLE deposits (
  movement_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  event_id uuid NOT NULL,
  completed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposits_by_asset ON deposits (asset_name);

-- A withdrawal holds `amount` of usable_size while RESERVED; COMPLETED lowered size.
CREATE TABLE withdrawals (
  movement_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  amount bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'COMPLETED')),
  rejection_reason text CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL)),
  requested_event_id uuid NOT NULL,
  sent_event_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'REJECTED' OR amount > 0)
);
CREATE INDEX withdrawals_open ON withdrawals (customer_id, asset_name) WHERE status = 'RESERVED';
CREATE INDEX withdrawals_completed_by_asset ON withdrawals (asset_name) WHERE status = 'COMPLETED';

-- What is held for one order. `reserved = held + released + consumed` always, so a
-- release or a fill takes exactly what is left and never more. A row may exist before
-- its OrderCreated (outcome AWAITING_ORDER): a cancel or reject that arrived first
-- leaves this tombstone, and the late OrderCreated then reserves nothing.
CREATE TABLE order_reservations (
  order_id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  side text NOT NULL CHECK (side IN ('BUY', 'SELL')),
  -- Order terms: size is null until OrderCreated is seen; price is the limit price.
  size bigint,
  price bigint,
  outcome text NOT NULL CHECK (outcome IN ('AWAITING_ORDER', 'RESERVED', 'FAILED')),
  -- TRY for a BUY, the traded asset for a SELL; null until OrderCreated is seen.
  reserved_asset text,
  reserved_amount bigint NOT NULL DEFAULT 0,
  held_amount bigint NOT NULL DEFAULT 0,
  released_amount bigint NOT NULL DEFAULT 0,
  -- Taken by settled fills (a BUY fill of q at limit L consumes q×L, a SELL fill q units).
  consumed_amount bigint NOT NULL DEFAULT 0,
  filled_size bigint NOT NULL DEFAULT 0,
  -- The order service's terminal decision as we learnt it; null while the order lives.
  closed_by text CHECK (closed_by IN ('CANCELLED', 'REJECTED')),
  created_event_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT order_reservations_amounts_not_negative CHECK (
    held_amount >= 0 AND released_amount >= 0 AND consumed_amount >= 0 AND filled_size >= 0
  ),
  CONSTRAINT order_reservations_accounted CHECK (reserved_amount = held_amount + released_amount + consumed_amount),
  CONSTRAINT order_reservations_only_reserved_hold CHECK (outcome = 'RESERVED' OR reserved_amount = 0),
  CONSTRAINT order_reservations_seen_has_terms CHECK (
    (outcome = 'AWAITING_ORDER') = (created_event_id IS NULL)
    AND (outcome = 'AWAITING_ORDER' OR (size IS NOT NULL AND price IS NOT NULL AND reserved_asset IS NOT NULL))
  )
);
CREATE INDEX order_reservations_open ON order_reservations (customer_id, reserved_asset) WHERE held_amount > 0;
