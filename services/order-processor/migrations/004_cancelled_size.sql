-- What a cancel took off an order, so a cancel sent again (its first answer lost) is answered
-- with the same remainder instead of 0, and the order service can still release it.
ALTER TABLE book_orders ADD COLUMN cancelled bigint NOT NULL DEFAULT 0 CHECK (cancelled >= 0 AND cancelled <= size);
