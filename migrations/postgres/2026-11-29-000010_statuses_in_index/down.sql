DROP INDEX notices_by_kind_in_order;
CREATE INDEX notices_by_kind_in_order ON notices (kind, state, published_at DESC, id DESC);
