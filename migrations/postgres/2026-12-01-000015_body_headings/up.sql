-- A body's headings now start below its notice's title (`#` is an h2), so
-- that a page has one h1. The kept HTML of bodies with an h1 is cleared and
-- rendered again at start (`store::bodies::render_missing`); as that is a
-- change of what readers are sent, it counts as one write: the content
-- version is raised, so that every instance's caches drop what they kept,
-- and such notices that were ever public are marked changed, so that
-- dashboards syncing through /api/v1/changes fetch them again.
UPDATE content_version SET version = version + 1;

UPDATE notices
SET body_html = NULL,
    change_seq = CASE
        WHEN change_seq > 0 THEN (SELECT version FROM content_version)
        ELSE change_seq
    END
WHERE body_html LIKE '%<h1%';
