-- Sign-in sessions of the built-in issuer (see src/sessions.ts). Access tokens name their
-- session (`sid`); ending the session (sign-out, a reused refresh token, a password change,
-- a suspension) ends them all at once on every gateway instance.
CREATE TABLE sessions (
  id          uuid PRIMARY KEY,
  -- principalKey: ROLE:account id, so every session of one account ends together.
  account     text NOT NULL,
  -- Who the session's access tokens are issued for.
  principal   jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  end_reason  text
);

CREATE INDEX sessions_live_by_account ON sessions (account) WHERE ended_at IS NULL;
CREATE INDEX sessions_ended_at ON sessions (ended_at) WHERE ended_at IS NOT NULL;
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Rotating refresh tokens, by their SHA-256 (the token itself is never stored). A used one
-- is kept until its session expires, so presenting it again is recognised as reuse.
CREATE TABLE refresh_tokens (
  token_hash  bytea PRIMARY KEY,
  session_id  uuid NOT NULL REFERENCES sessions ON DELETE CASCADE,
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Per-account sign-in throttling (see src/sign-in-throttle.ts), by the SHA-256 of the
-- username as typed (lower-cased), whether or not such an account exists.
CREATE TABLE sign_in_failures (
  username_hash  bytea PRIMARY KEY,
  failures       integer NOT NULL,
  locked_until   timestamptz,
  last_failed_at timestamptz NOT NULL
);

CREATE INDEX sign_in_failures_last_failed_at ON sign_in_failures (last_failed_at);
