DROP INDEX subscriptions_confirmed;
DROP INDEX subscriptions_digest_due;
ALTER TABLE subscriptions DROP COLUMN digest_since;
ALTER TABLE subscriptions DROP COLUMN digest_due_at;
DROP TABLE mail_sent;
DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE event_id IS NULL);
DELETE FROM deliveries WHERE event_id IS NULL;
ALTER TABLE deliveries DROP COLUMN payload;
ALTER TABLE deliveries ALTER COLUMN event_id SET NOT NULL;
