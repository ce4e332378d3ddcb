-- Full-text search with the norwegian configuration (stemming, stop words):
-- a generated tsvector, title weighted above summary above body, and a GIN index.
ALTER TABLE notices ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('norwegian', title), 'A')
    || setweight(to_tsvector('norwegian', summary), 'B')
    || setweight(to_tsvector('norwegian', coalesce(body, '')), 'C')
) STORED;

CREATE INDEX notices_search ON notices USING GIN (search);
