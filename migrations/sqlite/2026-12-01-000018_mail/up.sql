-- E-mail from the outbox. A confirmation (and a digest) belongs to no
-- notice event, so a delivery's event becomes optional, and a delivery may
-- carry what it is about instead (`payload`, JSON). SQLite cannot drop a
-- NOT NULL, so deliveries and their attempts are made anew, the attempts
-- pointing at the new table, whose renaming carries the reference along.
CREATE TABLE deliveries_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The notice event delivered; NULL for mail that belongs to none.
    event_id INTEGER REFERENCES events (id),
    channel TEXT NOT NULL,
    -- Where it goes within the channel (the hub's URL, a webhook's or a
    -- subscription's id); empty for go-live.
    target TEXT NOT NULL,
    -- The next attempt; a claim moves it past the claim's lease, so a
    -- delivery whose worker died is due again once the lease is over.
    due_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Set by each claim: the worker that holds it finds it by this.
    claim TEXT,
    finished_at TIMESTAMP,
    -- delivered, failed (gave up), cancelled (superseded before it was
    -- due) or skipped (nothing left to say when it was due).
    outcome TEXT,
    last_error TEXT,
    -- A delivery in a queue waits for the unfinished ones before it.
    queue TEXT,
    -- The type the receiver is told, when its filters make it another.
    event_type TEXT,
    payload TEXT
);
INSERT INTO deliveries_new (id, event_id, channel, target, due_at, attempts, claim, finished_at,
                            outcome, last_error, queue, event_type)
SELECT id, event_id, channel, target, due_at, attempts, claim, finished_at,
       outcome, last_error, queue, event_type
FROM deliveries;

CREATE TABLE delivery_attempts_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES deliveries_new (id),
    attempted_at TIMESTAMP NOT NULL,
    -- The receiver's HTTP (or SMTP) status, if it answered.
    status INTEGER,
    error TEXT,
    -- When it is tried again; NULL when it succeeded or was given up.
    next_attempt_at TIMESTAMP,
    duration_ms INTEGER
);
INSERT INTO delivery_attempts_new (id, delivery_id, attempted_at, status, error, next_attempt_at, duration_ms)
SELECT id, delivery_id, attempted_at, status, error, next_attempt_at, duration_ms
FROM delivery_attempts;

DROP TABLE delivery_attempts;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
ALTER TABLE delivery_attempts_new RENAME TO delivery_attempts;

CREATE INDEX deliveries_due ON deliveries (due_at) WHERE finished_at IS NULL;
CREATE INDEX deliveries_by_event ON deliveries (event_id);
CREATE INDEX deliveries_by_claim ON deliveries (claim);
CREATE INDEX deliveries_queued ON deliveries (queue, id) WHERE finished_at IS NULL AND queue IS NOT NULL;
CREATE INDEX deliveries_by_target ON deliveries (channel, target, id);
CREATE INDEX deliveries_finished ON deliveries (channel, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, id);

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
