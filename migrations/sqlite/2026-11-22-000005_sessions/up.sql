-- Editor sessions in the browser: a signed-in token, by the hash of a random
-- session id that only the browser's HttpOnly cookie holds.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY NOT NULL,
    token_id TEXT NOT NULL REFERENCES tokens (id) ON DELETE CASCADE,
    -- Every form of the session carries it; a request without it is refused.
    csrf TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

CREATE INDEX sessions_by_token ON sessions (token_id);
