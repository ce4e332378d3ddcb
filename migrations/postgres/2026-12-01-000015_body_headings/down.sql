-- Nothing to undo: the bodies were rendered again from their own Markdown,
-- and an older Tavla shows the HTML it finds.
SELECT 1;
