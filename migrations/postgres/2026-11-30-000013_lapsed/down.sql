DROP INDEX notices_lapsed_in_order;
DROP INDEX notices_lapsing;
ALTER TABLE notices DROP COLUMN lapsed;
ALTER TABLE notices DROP COLUMN lapses_at;
