DROP TRIGGER notices_fts_after_insert;
DROP TRIGGER notices_fts_after_update;
DROP TRIGGER notices_fts_after_delete;
DROP TABLE notices_fts;
DROP INDEX notices_by_search_rowid;
ALTER TABLE notices DROP COLUMN search_rowid;

CREATE VIRTUAL TABLE notices_fts USING fts5(
    notice_id UNINDEXED,
    title,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO notices_fts (notice_id, title, summary, body)
SELECT id, title, summary, body FROM notices;

CREATE TRIGGER notices_fts_after_insert AFTER INSERT ON notices BEGIN
    INSERT INTO notices_fts (notice_id, title, summary, body)
    VALUES (new.id, new.title, new.summary, new.body);
END;

CREATE TRIGGER notices_fts_after_update AFTER UPDATE OF title, summary, body ON notices BEGIN
    DELETE FROM notices_fts WHERE notice_id = old.id;
    INSERT INTO notices_fts (notice_id, title, summary, body)
    VALUES (new.id, new.title, new.summary, new.body);
END;

CREATE TRIGGER notices_fts_after_delete AFTER DELETE ON notices BEGIN
    DELETE FROM notices_fts WHERE notice_id = old.id;
END;
