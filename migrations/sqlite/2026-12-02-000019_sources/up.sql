-- Sources: upstream feeds an admin registers, fetched on their interval
-- through the outbox, each entry imported as one notice.
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,
    -- A JSON array of area slugs.
    areas TEXT NOT NULL,
    language TEXT NOT NULL,
    -- draft or published: the state its notices are imported in.
    state TEXT NOT NULL,
    interval_minutes INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- When it is fetched next (the sweep moves it on as it schedules one).
    next_fetch_at TIMESTAMP NOT NULL,
    -- A fetch under way, in any instance, holds the source until then.
    fetching_until TIMESTAMP,
    -- The last answer's validators, sent back for a conditional GET.
    etag TEXT,
    last_modified TEXT,
    last_fetched_at TIMESTAMP,
    -- What the last fetch came to: imported, not-modified, or why it
    -- failed (timeout, http-status, not-a-feed, …), for the admin pages.
    last_outcome TEXT,
    -- The upstream's HTTP status, when it answered.
    last_status INTEGER,
    last_error TEXT,
    -- Fetches failed since the last good one: the backoff grows with them.
    failures INTEGER NOT NULL DEFAULT 0,
    -- Notices imported from it, ever.
    imported INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sources_due ON sources (next_fetch_at);
-- The admins' list, oldest first.
CREATE INDEX sources_in_order ON sources (created_at, id);

-- Each entry is imported once per source for ever: its key, its notice, and
-- the revision the import last wrote (an editor's change moves the notice on,
-- and from then the editor's version stands).
CREATE TABLE imports (
    -- A source's id, or the URL of a one-off import from the command line.
    source TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    notice_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    -- What the import wrote (a hash of title, summary and link): an
    -- upstream change is a new digest.
    digest TEXT NOT NULL,
    -- The feed it came from, kept when its source is deleted.
    feed_url TEXT NOT NULL,
    PRIMARY KEY (source, entry_key)
);
CREATE INDEX imports_by_notice ON imports (notice_id);
