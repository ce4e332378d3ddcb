-- Each body's sanitised HTML, rendered once when the notice is written, so
-- that no read renders Markdown. NULL where there is no body, and in rows
-- stored before this column: Tavla renders those at start.
ALTER TABLE notices ADD COLUMN body_html TEXT;

-- The rows still to render, so that looking for them at every start reads
-- nothing once they are done.
CREATE INDEX notices_body_unrendered ON notices (id) WHERE body_html IS NULL AND body IS NOT NULL;
