DROP TABLE content_version;
