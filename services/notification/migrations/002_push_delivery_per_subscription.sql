-- One WEB_PUSH delivery per push subscription, taken when the notification is recorded: each
-- is retried on its own, so a retry never sends again to a browser that already took it. No
-- foreign key: a subscription removed later (a 404/410, or the customer) leaves the record of
-- what was sent; a pending delivery whose subscription is gone fails.
ALTER TABLE deliveries ADD COLUMN subscription_id uuid;
ALTER TABLE deliveries DROP CONSTRAINT deliveries_notification_id_channel_key;
CREATE UNIQUE INDEX deliveries_once ON deliveries (notification_id, channel, coalesce(subscription_id, '00000000-0000-0000-0000-000000000000'));
