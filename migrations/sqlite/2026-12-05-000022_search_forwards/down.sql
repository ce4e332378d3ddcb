-- Back to the full-text index read backwards: FTS rowid = search_rowid.
DROP TRIGGER notices_fts_after_insert;
DROP TRIGGER notices_fts_after_text_update;
DROP TRIGGER notices_fts_after_move;
DROP TRIGGER notices_fts_after_delete;
DROP TABLE notices_fts;

CREATE VIRTUAL TABLE notices_fts USING fts5(
    title,
    summary,
    body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO notices_fts (rowid, title, summary, body)
SELECT search_rowid, title, summary, body FROM notices ORDER BY search_rowid;
INSERT INTO notices_fts (notices_fts) VALUES ('optimize');
INSERT INTO notices_fts (notices_fts, rank) VALUES ('automerge', 0);

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
