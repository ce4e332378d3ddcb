-- Editors: tokens, revisions, the audit trail, idempotent creates and the changes feed.

-- The content version at the notice's last public change (a write while it
-- was or became public, or its going live), for GET /api/v1/changes.
ALTER TABLE notices ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
-- Published with a future published_at, and not yet recorded as gone live.
ALTER TABLE notices ADD COLUMN pending_go_live BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX notices_by_change ON notices (change_seq, id);

CREATE TABLE tokens (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
    -- SHA-256 of the secret, hex. The secret itself is never stored.
    secret_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE token_areas (
    token_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    area_slug TEXT NOT NULL REFERENCES areas (slug),
    PRIMARY KEY (token_id, area_slug)
);

-- A full snapshot (the admin JSON representation) after every change.
CREATE TABLE notice_revisions (
    notice_id TEXT NOT NULL REFERENCES notices (id),
    revision INTEGER NOT NULL,
    action TEXT NOT NULL,
    token_id TEXT,
    token_name TEXT NOT NULL,
    snapshot TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (notice_id, revision)
);

-- Who did what, when. seq is the content version the write raised.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY NOT NULL,
    action TEXT NOT NULL,
    token_id TEXT,
    token_name TEXT NOT NULL,
    notice_id TEXT,
    revision INTEGER,
    subject_token_id TEXT,
    detail TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE INDEX audit_log_by_notice ON audit_log (notice_id, seq);
CREATE INDEX audit_log_by_token ON audit_log (token_id, seq);

-- The first answer to each Idempotency-Key, per token.
CREATE TABLE idempotency_keys (
    token_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    -- The body of the first answer, returned again to every retry.
    response_body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
