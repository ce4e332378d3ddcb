-- E-mail from the outbox. A confirmation (and a digest) belongs to no
-- notice event, so a delivery's event becomes optional, and a delivery may
-- carry what it is about instead (`payload`, JSON).
ALTER TABLE deliveries ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE deliveries ADD COLUMN payload TEXT;

-- What each subscriber has been sent, so that nothing is sent twice to an
-- address for the same notice and kind of message (a notice published,
-- withdrawn and published again; a reminder; a digest's period).
CREATE TABLE mail_sent (
    subscription_id TEXT NOT NULL REFERENCES subscriptions (id),
    -- notice, reminder, cancelled or digest.
    kind TEXT NOT NULL,
    -- The notice's id, or the digest's period.
    subject TEXT NOT NULL,
    sent_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subscription_id, kind, subject)
);

-- Digests: the next one's instant, and where what it lists begins.
ALTER TABLE subscriptions ADD COLUMN digest_due_at TIMESTAMP;
ALTER TABLE subscriptions ADD COLUMN digest_since TIMESTAMP;
CREATE INDEX subscriptions_digest_due ON subscriptions (digest_due_at) WHERE digest_due_at IS NOT NULL;
-- Link tokens are forgotten once old (each e-mail mints its own).
CREATE INDEX subscription_tokens_by_age ON subscription_tokens (created_at);
-- A digest reads the events of its period by their instant.
CREATE INDEX events_by_due ON events (due_at);
-- Confirmed subscriptions, read by each event's fan-out in pages.
CREATE INDEX subscriptions_confirmed ON subscriptions (state, id);
