-- The language a notice is written in (nb, nn, se, en), and the list of one
-- language in order, which its filter walks.
ALTER TABLE notices ADD COLUMN language TEXT NOT NULL DEFAULT 'nb';
CREATE INDEX notices_by_language_in_order
    ON notices (language, state, published_at DESC, id DESC, kind);
