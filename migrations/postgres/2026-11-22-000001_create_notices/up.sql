-- Areas: the access packages of "Helse, pleie, omsorg og vern", loaded from the seed document.
CREATE TABLE areas (
    slug TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    parent_slug TEXT REFERENCES areas (slug),
    linkable BOOLEAN NOT NULL,
    delegable BOOLEAN NOT NULL,
    -- JSON array of Enhetsregisteret role codes.
    er_roles TEXT NOT NULL,
    position INTEGER NOT NULL
);

-- Instants are UTC. Kind-specific columns are NULL for other kinds.
CREATE TABLE notices (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'webinar', 'news')),
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'withdrawn')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT,
    source_url TEXT,
    published_at TIMESTAMP NOT NULL,
    revision INTEGER NOT NULL,
    deadline TIMESTAMP,
    amount_nok BIGINT,
    -- JSON array of applicant groups.
    applicants TEXT,
    apply_url TEXT,
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    registration_url TEXT,
    cancelled BOOLEAN NOT NULL,
    cancellation_note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The public order: newest first, ties broken by id.
CREATE INDEX notices_newest_first ON notices (published_at DESC, id DESC);

CREATE TABLE notice_areas (
    notice_id TEXT NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
    area_slug TEXT NOT NULL REFERENCES areas (slug),
    PRIMARY KEY (notice_id, area_slug)
);

CREATE INDEX notice_areas_by_area ON notice_areas (area_slug, notice_id);
