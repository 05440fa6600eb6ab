-- Whose username is whose, learned from successful sign-ins (by the sign-in throttle's
-- SHA-256 of the username trimmed and lower-cased), so a failed sign-in of a known account
-- is named in that account's audit trail. Never asked by a request: only by the failure path.
CREATE TABLE sign_in_accounts (
  username_hash     bytea PRIMARY KEY,
  principal         jsonb NOT NULL,
  last_signed_in_at timestamptz NOT NULL
);
