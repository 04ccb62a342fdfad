-- Keys can be revoked; a revoked key stays listed with the time.
ALTER TABLE api_keys ADD COLUMN revoked_at timestamptz;

-- One row that the readiness check rewrites, to prove the database takes
-- writes (a read-only replica or a full disk refuses).
CREATE TABLE readiness (
	id integer PRIMARY KEY CHECK (id = 1),
	at timestamptz NOT NULL
);
