-- The sweeper's search for cancels the engine has not answered: few rows at any time.
CREATE INDEX orders_cancel_in_flight ON orders (cancel_requested_at) WHERE cancel_requested_at IS NOT NULL;
