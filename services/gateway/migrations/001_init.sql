-- The gateway owns no domain data: only what its own features need.

-- The built-in token issuer's signing keys. Every gateway instance signs and verifies with
-- the same key, so a token stays valid across restarts and instances. Public halves are
-- served at /.well-known/jwks.json.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  alg         text NOT NULL,
  private_jwk jsonb NOT NULL,
  public_jwk  jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Idempotency-Key (Stripe semantics), per principal and key. status_code is NULL while the
-- first request is still running; the stored response is replayed until expires_at.
CREATE TABLE idempotency_keys (
  principal     text NOT NULL,
  key           text NOT NULL,
  fingerprint   text NOT NULL,
  status_code   integer,
  response_body text,
  headers       jsonb,
  locked_at     timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (principal, key)
);

CREATE INDEX idempotency_keys_expires_at ON idempotency_keys (expires_at);
