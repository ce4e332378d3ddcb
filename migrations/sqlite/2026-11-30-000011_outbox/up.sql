-- The durable outbox. Every write that changes the public set stores its
-- events here in the same transaction; each event is delivered once per
-- channel (go-live, WebSub, later webhooks and e-mail) by workers that claim
-- due deliveries, record every attempt and retry with backoff.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The stable id receivers see (a UUID), the same on every retry.
    event_id TEXT NOT NULL UNIQUE,
    -- notice.published, notice.updated or notice.withdrawn.
    event_type TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    -- JSON: the kinds and areas the notice had before and after the change,
    -- so a channel can tell which feeds and filters it touches.
    affects TEXT NOT NULL,
    -- When it happens: the write, or a scheduled notice's instant.
    due_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX events_by_notice ON events (notice_id);

CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES events (id),
    channel TEXT NOT NULL,
    -- Where it goes within the channel (the hub's URL); empty for go-live.
    target TEXT NOT NULL,
    -- The next attempt; a claim moves it past the claim's lease, so a
    -- delivery whose worker died is due again once the lease is over.
    due_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    -- Set by each claim: the worker that holds it finds it by this.
    claim TEXT,
    finished_at TIMESTAMP,
    -- delivered, failed (gave up) or cancelled (superseded before it was due).
    outcome TEXT,
    last_error TEXT
);
CREATE INDEX deliveries_due ON deliveries (due_at) WHERE finished_at IS NULL;
CREATE INDEX deliveries_by_event ON deliveries (event_id);
CREATE INDEX deliveries_by_claim ON deliveries (claim);

CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    -- The receiver's HTTP status, if it answered.
    status INTEGER,
    error TEXT,
    -- When it is tried again; NULL when it succeeded or was given up.
    next_attempt_at TIMESTAMP
);
CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery_id, id);

-- Notices scheduled before the outbox existed go live through it too.
INSERT INTO events (event_id, event_type, notice_id, revision, affects, due_at, created_at)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
           || substr(lower(hex(randomblob(2))), 2) || '-'
           || substr('89ab', 1 + (abs(random()) % 4), 1)
           || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
       'notice.published', n.id, n.revision,
       json_array(json_object('kind', n.kind, 'areas',
           (SELECT json_group_array(a.area_slug) FROM notice_areas a WHERE a.notice_id = n.id))),
       n.published_at, n.updated_at
FROM notices n
WHERE n.pending_go_live;
INSERT INTO deliveries (event_id, channel, target, due_at)
SELECT id, 'go-live', '', due_at FROM events;
