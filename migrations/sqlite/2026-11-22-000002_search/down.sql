DROP TRIGGER notices_fts_after_delete;
DROP TRIGGER notices_fts_after_update;
DROP TRIGGER notices_fts_after_insert;
DROP TABLE notices_fts;
