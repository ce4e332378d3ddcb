-- Every word the full-text index holds, so that a search can expand a
-- word's prefix into the words that begin with it.
--
-- FTS5 answers a prefix query ("demens"*) by merging the lists of every
-- term with that prefix into one, in memory, before the first row: its cost
-- grows with the number of notices that match, whatever the page. Exact
-- terms joined by OR are read lazily, newest first, and stop after a page.
-- So a search looks the prefix up here (an index range) and asks FTS5 for
-- the terms it finds.
--
-- The words are FTS5's own: a notice's text is put through the same
-- tokenizer in a scratch table, whose vocabulary is copied here, in the
-- same statement as the write. A word is never removed (a notice edited or
-- deleted may leave words no notice has): such a word costs a search one
-- empty list.
CREATE TABLE search_terms (
    term TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE notices_fts_terms USING fts5vocab(notices_fts, row);
INSERT INTO search_terms (term) SELECT term FROM notices_fts_terms;

CREATE VIRTUAL TABLE search_scratch USING fts5(
    title,
    summary,
    body,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
);
CREATE VIRTUAL TABLE search_scratch_terms USING fts5vocab(search_scratch, row);

CREATE TRIGGER search_terms_after_insert AFTER INSERT ON notices BEGIN
    INSERT INTO search_scratch (rowid, title, summary, body)
    VALUES (1, new.title, new.summary, new.body);
    INSERT OR IGNORE INTO search_terms (term) SELECT term FROM search_scratch_terms;
    INSERT INTO search_scratch (search_scratch) VALUES ('delete-all');
END;

CREATE TRIGGER search_terms_after_text_update AFTER UPDATE OF title, summary, body ON notices BEGIN
    INSERT INTO search_scratch (rowid, title, summary, body)
    VALUES (1, new.title, new.summary, new.body);
    INSERT OR IGNORE INTO search_terms (term) SELECT term FROM search_scratch_terms;
    INSERT INTO search_scratch (search_scratch) VALUES ('delete-all');
END;
