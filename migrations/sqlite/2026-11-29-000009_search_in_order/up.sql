-- Search in the list's order, newest first, straight from the FTS index.
--
-- A notice's row in notices_fts has the rowid kept in notices.search_rowid,
-- and that rowid now follows publication order: the second of published_at
-- (Unix time, rounded down) times 2^20, plus a slot within that second. FTS5
-- reads a word's matches by rowid, newest first, and stops after a page; a
-- second's notices are put in exact order (instant, then id) by Tavla. A
-- notice whose published_at changes moves to a slot of its new second.
--
-- The FTS table holds no copy of the text any more (contentless): a search
-- reads rowids from it and the notices by search_rowid. A row is removed
-- with FTS5's 'delete' command, given the text it was indexed with. (It
-- keeps where each word is: without, detail=none, a prefix query such as
-- "demens"* reads several times slower.)
DROP TRIGGER notices_fts_after_insert;
DROP TRIGGER notices_fts_after_update;
DROP TRIGGER notices_fts_after_delete;
DROP TABLE notices_fts;
DROP INDEX notices_by_search_rowid;

UPDATE notices SET search_rowid = ordered.search_rowid
FROM (
    SELECT id,
           (unixepoch(published_at) << 20)
             + row_number() OVER (PARTITION BY unixepoch(published_at) ORDER BY published_at, id)
             - 1 AS search_rowid
    FROM notices
) AS ordered
WHERE notices.id = ordered.id;

CREATE UNIQUE INDEX notices_by_search_rowid ON notices (search_rowid);

CREATE VIRTUAL TABLE notices_fts USING fts5(
    title,
    summary,
    body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO notices_fts (rowid, title, summary, body)
SELECT search_rowid, title, summary, body FROM notices;

-- The next free slot in the second of new.published_at.
CREATE TRIGGER notices_fts_after_insert AFTER INSERT ON notices BEGIN
    UPDATE notices SET search_rowid = (
        SELECT coalesce(max(search_rowid) + 1, unixepoch(new.published_at) << 20)
        FROM notices
        WHERE search_rowid >= unixepoch(new.published_at) << 20
          AND search_rowid < (unixepoch(new.published_at) + 1) << 20
    )
    WHERE id = new.id;
    INSERT INTO notices_fts (rowid, title, summary, body)
    SELECT search_rowid, title, summary, body FROM notices WHERE id = new.id;
END;

CREATE TRIGGER notices_fts_after_text_update AFTER UPDATE OF title, summary, body ON notices
WHEN old.published_at = new.published_at BEGIN
    INSERT INTO notices_fts (notices_fts, rowid, title, summary, body)
    VALUES ('delete', old.search_rowid, old.title, old.summary, old.body);
    INSERT INTO notices_fts (rowid, title, summary, body)
    VALUES (old.search_rowid, new.title, new.summary, new.body);
END;

CREATE TRIGGER notices_fts_after_move AFTER UPDATE OF published_at ON notices
WHEN old.published_at IS NOT new.published_at BEGIN
    INSERT INTO notices_fts (notices_fts, rowid, title, summary, body)
    VALUES ('delete', old.search_rowid, old.title, old.summary, old.body);
    UPDATE notices SET search_rowid = NULL WHERE id = new.id;
    UPDATE notices SET search_rowid = (
        SELECT coalesce(max(search_rowid) + 1, unixepoch(new.published_at) << 20)
        FROM notices
        WHERE search_rowid >= unixepoch(new.published_at) << 20
          AND search_rowid < (unixepoch(new.published_at) + 1) << 20
    )
    WHERE id = new.id;
    INSERT INTO notices_fts (rowid, title, summary, body)
    SELECT search_rowid, title, summary, body FROM notices WHERE id = new.id;
END;

CREATE TRIGGER notices_fts_after_delete AFTER DELETE ON notices BEGIN
    INSERT INTO notices_fts (notices_fts, rowid, title, summary, body)
    VALUES ('delete', old.search_rowid, old.title, old.summary, old.body);
END;
