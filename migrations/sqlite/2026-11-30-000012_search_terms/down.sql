DROP TRIGGER search_terms_after_text_update;
DROP TRIGGER search_terms_after_insert;
DROP TABLE search_scratch_terms;
DROP TABLE search_scratch;
DROP TABLE notices_fts_terms;
DROP TABLE search_terms;
