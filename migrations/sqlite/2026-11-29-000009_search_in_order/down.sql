DROP TRIGGER notices_fts_after_insert;
DROP TRIGGER notices_fts_after_text_update;
DROP TRIGGER notices_fts_after_move;
DROP TRIGGER notices_fts_after_delete;
DROP TABLE notices_fts;

CREATE VIRTUAL TABLE notices_fts USING fts5(
    notice_id UNINDEXED,
    published_at UNINDEXED,
    title,
    summary,
    body,
    tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO notices_fts (rowid, notice_id, published_at, title, summary, body)
SELECT search_rowid, id, published_at, title, summary, body FROM notices;

CREATE TRIGGER notices_fts_after_insert AFTER INSERT ON notices BEGIN
    UPDATE notices SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM notices)
    WHERE id = new.id;
    INSERT INTO notices_fts (rowid, notice_id, published_at, title, summary, body)
    SELECT search_rowid, id, published_at, title, summary, body FROM notices WHERE id = new.id;
END;

CREATE TRIGGER notices_fts_after_update AFTER UPDATE OF title, summary, body, published_at ON notices BEGIN
    DELETE FROM notices_fts WHERE rowid = old.search_rowid;
    INSERT INTO notices_fts (rowid, notice_id, published_at, title, summary, body)
    VALUES (old.search_rowid, new.id, new.published_at, new.title, new.summary, new.body);
END;

CREATE TRIGGER notices_fts_after_delete AFTER DELETE ON notices BEGIN
    DELETE FROM notices_fts WHERE rowid = old.search_rowid;
END;
