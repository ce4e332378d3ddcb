DROP INDEX notices_search;
ALTER TABLE notices DROP COLUMN search;
