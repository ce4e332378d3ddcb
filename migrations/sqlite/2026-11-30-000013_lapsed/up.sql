-- Notices whose time has passed (closed grants, past webinars), apart.
--
-- lapses_at is the instant a notice's time passes: a grant's deadline (none:
-- open until further notice), a webinar's end, else its start, else its
-- publication; a news item never lapses. lapsed is set by a sweep of the
-- outbox worker once lapses_at has passed (see store::listing::lapsed), and
-- lets a list of closed grants or past webinars walk those alone, in list
-- order, instead of stepping past every grant still open.
ALTER TABLE notices ADD COLUMN lapses_at TIMESTAMP GENERATED ALWAYS AS (
    CASE kind
        WHEN 'grant' THEN deadline
        WHEN 'webinar' THEN coalesce(ends_at, starts_at, published_at)
    END
) VIRTUAL;
ALTER TABLE notices ADD COLUMN lapsed BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE notices SET lapsed = TRUE WHERE lapses_at <= datetime('now');

-- What the sweep and a list look up: the notices not yet marked whose time
-- has passed.
CREATE INDEX notices_lapsing ON notices (lapsed, lapses_at);
-- A kind's marked notices in list order, with what their status depends on.
CREATE INDEX notices_lapsed_in_order
    ON notices (kind, state, lapsed, published_at DESC, id DESC, deadline, starts_at, ends_at, cancelled);
