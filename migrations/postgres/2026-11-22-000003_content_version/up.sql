-- One number that every write raises, so each instance can tell cheaply
-- whether what it holds in memory is still current.
CREATE TABLE content_version (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    version BIGINT NOT NULL
);

INSERT INTO content_version (id, version) VALUES (1, 0);
