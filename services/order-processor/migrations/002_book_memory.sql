-- version counts the commands applied to a book. The processor keeps each book in memory and
-- checks, with the statement that locks the book, that nobody else (another instance during
-- a rebalance, or a rolled-back transaction of its own) changed it since: a count other than
-- the one it expects means its copy is stale, and it loads the book again.
-- trade_seq numbers the book's trades; trade ids are derived from it.
ALTER TABLE books ADD COLUMN version bigint NOT NULL DEFAULT 0, ADD COLUMN trade_seq bigint NOT NULL DEFAULT 0;
