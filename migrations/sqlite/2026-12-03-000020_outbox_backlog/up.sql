-- Each channel's unfinished deliveries, counted for the metrics (how many
-- wait, and since when the oldest due one has): read through this index,
-- so a scrape costs the backlog, never the deliveries kept.
CREATE INDEX deliveries_pending ON deliveries (channel, due_at) WHERE finished_at IS NULL;
