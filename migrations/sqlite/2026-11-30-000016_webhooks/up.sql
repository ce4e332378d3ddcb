-- Webhooks: receivers an admin registers, each told of the events its
-- filters take in, signed per Standard Webhooks, from the outbox.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- JSON arrays; empty means every event type, kind or area.
    events TEXT NOT NULL,
    kinds TEXT NOT NULL,
    areas TEXT NOT NULL,
    -- The areas whose notices the filter takes in: those named and every
    -- area under them.
    area_matches TEXT NOT NULL,
    -- whsec_…: kept so that it can sign (a hash could not).
    secret TEXT NOT NULL,
    -- After a rotation the old secret signs beside the new one until then.
    previous_secret TEXT,
    previous_secret_until TIMESTAMP,
    enabled BOOLEAN NOT NULL DEFAULT 1,
    -- Why it was disabled, when Tavla did it (410 Gone, days of failures).
    disabled_reason TEXT,
    -- The first failed attempt since the last success.
    failing_since TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A delivery in a queue waits for the unfinished ones before it: a
-- webhook's events of one notice arrive in order.
ALTER TABLE deliveries ADD COLUMN queue TEXT;
-- The type the receiver is told, when its filters make it another than the
-- event's (a notice moved out of them is withdrawn for it).
ALTER TABLE deliveries ADD COLUMN event_type TEXT;
CREATE INDEX deliveries_queued ON deliveries (queue, id) WHERE finished_at IS NULL AND queue IS NOT NULL;
CREATE INDEX deliveries_by_target ON deliveries (channel, target, id);
CREATE INDEX deliveries_finished ON deliveries (channel, finished_at) WHERE finished_at IS NOT NULL;
ALTER TABLE delivery_attempts ADD COLUMN duration_ms INTEGER;
