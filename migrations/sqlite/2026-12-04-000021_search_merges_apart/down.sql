INSERT INTO notices_fts (notices_fts, rank) VALUES ('automerge', 4);
