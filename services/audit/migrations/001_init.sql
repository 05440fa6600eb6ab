-- The audit log: every record of every topic, once, hash-chained, append-only, by month.

CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % refused on %', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TABLE audit_log (
  sequence bigint NOT NULL,            -- position in the chain, assigned by the one writer
  recorded_at timestamptz NOT NULL,    -- when the audit service stored it; the partition key
  topic text NOT NULL,
  partition int NOT NULL,
  "offset" bigint NOT NULL,
  event_id uuid,                       -- null: the record did not decode (raw keeps its bytes)
  type text NOT NULL,
  version int NOT NULL,
  occurred_at timestamptz NOT NULL,
  key text NOT NULL,
  correlation_id text,
  causation_id uuid,
  traceparent text,
  headers jsonb NOT NULL,
  data jsonb,
  raw text,                            -- base64 of bytes that did not decode
  order_ids uuid[] NOT NULL,           -- every order the event names (a trade: two)
  customer_ids uuid[] NOT NULL,        -- every customer the event names (a trade: two)
  prev_hash text NOT NULL,
  hash text NOT NULL,                  -- sha-256(prev_hash | canonical content)
  PRIMARY KEY (sequence, recorded_at)
) PARTITION BY RANGE (recorded_at);

CREATE INDEX audit_log_orders ON audit_log USING gin (order_ids);
CREATE INDEX audit_log_customers ON audit_log USING gin (customer_ids);
CREATE INDEX audit_log_correlation ON audit_log (correlation_id);
CREATE INDEX audit_log_event ON audit_log (event_id);
CREATE INDEX audit_log_type_time ON audit_log (type, occurred_at);

-- Row triggers are cloned onto every partition; TRUNCATE triggers are not, so each
-- partition gets its own when audit_ensure_partition creates it.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();

/** The partition of the UTC month that starts at `month`, created if missing; returns its name. */
CREATE FUNCTION audit_ensure_partition(month date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  name text := 'audit_log_' || to_char(month, 'YYYY_MM');
  lower timestamptz := month::timestamp AT TIME ZONE 'UTC';
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)', name, lower, lower + interval '1 month');
    EXECUTE format('CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse()', name);
  END IF;
  RETURN name;
END $$;

-- The chain's head: locked by every append, so one writer at a time assigns sequence and prev_hash.
CREATE TABLE chain_head (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  sequence bigint NOT NULL,
  hash text NOT NULL,
  recorded_at timestamptz NOT NULL
);
INSERT INTO chain_head (sequence, hash, recorded_at) VALUES (0, repeat('0', 64), '1970-01-01T00:00:00Z');

-- Exactly once per record: the next offset not yet stored, per topic partition, moved in
-- the transaction that stores the records (the bus's own commit may lag and redeliver).
CREATE TABLE ingest_offsets (
  topic text NOT NULL,
  partition int NOT NULL,
  next_offset bigint NOT NULL,
  PRIMARY KEY (topic, partition)
);

-- Archived partitions: what verify needs to walk over a range that is no longer stored.
CREATE TABLE audit_archives (
  partition_name text PRIMARY KEY,
  from_sequence bigint NOT NULL,
  to_sequence bigint NOT NULL,
  first_prev_hash text NOT NULL,
  last_hash text NOT NULL,
  rows bigint NOT NULL,
  file text NOT NULL,
  file_sha256 text NOT NULL,
  record_sequence bigint NOT NULL,     -- the AuditArchived record in the chain
  archived_at timestamptz NOT NULL
);
CREATE TRIGGER audit_archives_append_only BEFORE UPDATE OR DELETE ON audit_archives FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
