DROP INDEX subscriptions_confirmed;
DROP INDEX events_by_due;
DROP INDEX subscriptions_digest_due;
ALTER TABLE subscriptions DROP COLUMN digest_since;
ALTER TABLE subscriptions DROP COLUMN digest_due_at;
DROP TABLE mail_sent;
DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IS NULL);
DELETE FROM deliveries WHERE event_id IS NULL;
ALTER TABLE deliveries DROP COLUMN payload;
