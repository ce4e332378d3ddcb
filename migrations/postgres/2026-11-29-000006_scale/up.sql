-- Indexes that serve every public read in its order, so that a read costs the
-- same at a million notices as at a thousand.

-- notice_areas carries the columns the public order and the kind filter need:
-- a list by area is then a range of one index, newest first, whatever the
-- area's share of the store. Writes keep them equal to the notice's own.
ALTER TABLE notice_areas ADD COLUMN kind TEXT NOT NULL DEFAULT 'news';
ALTER TABLE notice_areas ADD COLUMN state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE notice_areas ADD COLUMN published_at TIMESTAMP NOT NULL DEFAULT TIMESTAMP '1970-01-01 00:00:00';
UPDATE notice_areas SET kind = notices.kind, state = notices.state, published_at = notices.published_at
FROM notices WHERE notices.id = notice_areas.notice_id;
DROP INDEX notice_areas_by_area;
CREATE INDEX notice_areas_in_order ON notice_areas (area_slug, state, published_at DESC, notice_id DESC);
CREATE INDEX notice_areas_by_kind_in_order ON notice_areas (area_slug, kind, state, published_at DESC, notice_id DESC);

-- The public list of one kind. (The list of every kind walks
-- notices_newest_first: nearly every notice is published.)
CREATE INDEX notices_by_kind_in_order ON notices (kind, state, published_at DESC, id DESC);

-- The instants at which a notice changes by itself, for caches' validity and
-- Last-Modified, and for the sparse statuses (open grants, upcoming webinars).
CREATE INDEX notices_by_deadline ON notices (kind, deadline);
CREATE INDEX notices_by_start ON notices (kind, starts_at);
CREATE INDEX notices_by_end ON notices (kind, ends_at);
-- The latest write of all.
CREATE INDEX notices_by_update ON notices (updated_at);
-- Scheduled notices whose instant has come, for the changes feed.
CREATE INDEX notices_going_live ON notices (pending_go_live, published_at);
