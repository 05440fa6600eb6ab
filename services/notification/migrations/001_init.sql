-- The customer as the customer service's events say it (name, email, status, tier); the
-- contact details this service owns (phone, locale) live beside it in `contacts`, so a
-- contact set before CustomerCreated arrives is kept.
CREATE TABLE customers (
  customer_id uuid PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  tier text NOT NULL,
  status text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE TABLE contacts (
  customer_id uuid PRIMARY KEY,
  phone text,
  locale text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'tr')),
  updated_at timestamptz NOT NULL
);

CREATE TABLE push_subscriptions (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  endpoint text NOT NULL,
  p256dh text NOT NULL,
  auth text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (customer_id, endpoint)
);

-- Only the choices that differ from nothing: a missing row means the default.
CREATE TABLE preferences (
  customer_id uuid NOT NULL,
  event_type text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'WEB_PUSH', 'WEBSOCKET')),
  enabled boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (customer_id, event_type, channel)
);

-- One notification per event and customer: the unique key makes a redelivered event
-- (past the inbox, e.g. replayed from the DLQ under another group) record nothing twice.
CREATE TABLE notifications (
  id uuid PRIMARY KEY,
  customer_id uuid NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  locale text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (event_id, customer_id)
);
CREATE INDEX notifications_by_customer ON notifications (customer_id, created_at DESC, id DESC);

CREATE TABLE deliveries (
  id uuid PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notifications (id),
  channel text NOT NULL CHECK (channel IN ('EMAIL', 'SMS', 'WEB_PUSH', 'WEBSOCKET')),
  status text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED')),
  -- What this channel sends (rendered once, in the customer's locale at the time).
  subject text NOT NULL,
  body text NOT NULL,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  next_attempt_at timestamptz,
  -- A sender holds a row it is sending until then; a crashed sender's rows come back after it.
  locked_until timestamptz,
  sent_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (channel, next_attempt_at) WHERE status = 'PENDING';

-- Generated VAPID keys of a development start (production takes them from configuration).
CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
