-- Keys can be revoked; a revoked key stays listed with the time.
ALTER TABLE api_keys ADD COLUMN revoked_at INTEGER;

-- One row that the readiness check rewrites, to prove the database takes
-- writes.
CREATE TABLE readiness (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	at INTEGER NOT NULL
);
