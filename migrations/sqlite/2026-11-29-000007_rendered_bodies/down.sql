DROP INDEX notices_body_unrendered;
ALTER TABLE notices DROP COLUMN body_html;
