-- `seq` breaks ties between rows created in the same millisecond, so "newest first" is a total order.

CREATE TABLE brokers (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);
CREATE INDEX brokers_newest ON brokers (created_at DESC, seq DESC);

CREATE TABLE customers (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  name text NOT NULL,
  email text NOT NULL UNIQUE,
  tier text NOT NULL CHECK (tier IN ('STANDARD', 'PREMIUM', 'VIP')),
  status text NOT NULL CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  broker_id uuid REFERENCES brokers (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX customers_newest ON customers (created_at DESC, seq DESC);
CREATE INDEX customers_by_broker ON customers (broker_id, created_at DESC, seq DESC);

-- One sign-in namespace for customers and brokers: the unique username keeps an email
-- from belonging to both a customer and a broker.
CREATE TABLE credentials (
  subject uuid PRIMARY KEY,
  username text NOT NULL UNIQUE,
  role text NOT NULL CHECK (role IN ('CUSTOMER', 'BROKER')),
  password_hash text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE movements (
  id uuid PRIMARY KEY,
  seq bigserial NOT NULL,
  customer_id uuid NOT NULL REFERENCES customers (id),
  kind text NOT NULL CHECK (kind IN ('DEPOSIT', 'WITHDRAWAL')),
  asset_name text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  iban text,
  status text NOT NULL CHECK (status IN ('REQUESTED', 'RESERVED', 'COMPLETED', 'REJECTED')),
  rejection_reason text,
  requested_by text NOT NULL,
  requested_by_role text NOT NULL,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX movements_by_customer ON movements (customer_id, created_at DESC, seq DESC);

-- What the payout adapter sent; one per withdrawal, whatever the redeliveries.
CREATE TABLE payouts (
  movement_id uuid PRIMARY KEY REFERENCES movements (id),
  customer_id uuid NOT NULL,
  asset_name text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  iban text,
  reference text NOT NULL,
  sent_at timestamptz NOT NULL
);

-- A request's idempotency key, scoped to the operation and the actor who sent it.
-- secret_hash: a password is part of the request but must not be fingerprinted with a
-- fast hash, so it is kept as the same salted scrypt hash the credential holds.
CREATE TABLE idempotency_keys (
  operation text NOT NULL,
  actor text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  secret_hash text,
  resource_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (operation, actor, key)
);
