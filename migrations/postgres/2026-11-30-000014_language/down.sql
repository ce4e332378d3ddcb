DROP INDEX notices_by_language_in_order;
ALTER TABLE notices DROP COLUMN language;
