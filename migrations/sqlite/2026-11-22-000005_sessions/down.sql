DROP INDEX sessions_by_token;
DROP TABLE sessions;
