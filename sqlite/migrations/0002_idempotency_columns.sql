-- The idempotency key becomes two columns, the ID of the API key that sent
-- the request and the client's Idempotency-Key, instead of one text that
-- joined them with a NUL byte (which PostgreSQL text cannot hold). Rows in
-- the joined form are split at the NUL; rows without one were written
-- through the library with no API key and keep an empty key_id.
CREATE TABLE idempotency_keys_v2 (
	key_id     TEXT NOT NULL,
	key        TEXT NOT NULL,
	comment_id TEXT NOT NULL REFERENCES comments (id) DEFERRABLE INITIALLY DEFERRED,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (key_id, key)
) WITHOUT ROWID;

INSERT INTO idempotency_keys_v2 (key_id, key, comment_id, created_at)
SELECT CASE WHEN nul > 0 THEN CAST(substr(raw, 1, nul - 1) AS TEXT) ELSE '' END,
	CASE WHEN nul > 0 THEN CAST(substr(raw, nul + 1) AS TEXT) ELSE CAST(raw AS TEXT) END,
	comment_id, created_at
FROM (SELECT CAST(key AS BLOB) AS raw, instr(CAST(key AS BLOB), x'00') AS nul, comment_id, created_at
	FROM idempotency_keys);

DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_v2 RENAME TO idempotency_keys;
