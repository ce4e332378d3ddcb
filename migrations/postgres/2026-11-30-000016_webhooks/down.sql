DROP INDEX deliveries_finished;
DROP INDEX deliveries_by_target;
DROP INDEX deliveries_queued;
ALTER TABLE delivery_attempts DROP COLUMN duration_ms;
ALTER TABLE deliveries DROP COLUMN event_type;
ALTER TABLE deliveries DROP COLUMN queue;
DROP TABLE webhooks;
