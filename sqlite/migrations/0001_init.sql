-- Times are Unix microseconds (the precision PostgreSQL keeps too), JSON
-- columns hold the domain types as the API shows them.
CREATE TABLE posts (
	id         TEXT PRIMARY KEY,
	text       TEXT NOT NULL,
	line       TEXT NOT NULL,
	topics     TEXT NOT NULL,
	sensitive  INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);

-- seq keeps insertion order for comments created in the same microsecond.
CREATE TABLE comments (
	seq           INTEGER PRIMARY KEY,
	id            TEXT NOT NULL UNIQUE,
	post_id       TEXT NOT NULL,
	author        TEXT NOT NULL,
	text          TEXT NOT NULL,
	decision      TEXT NOT NULL,
	status        TEXT NOT NULL,
	scores        TEXT NOT NULL,
	reasons       TEXT NOT NULL,
	evidence      TEXT NOT NULL,
	claimed_by    TEXT,
	claimed_until INTEGER,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
);

-- The queue indexes cover waiting comments only: published ones are the
-- bulk of the table and are never listed.
CREATE INDEX comments_queue ON comments (created_at, seq)
	WHERE status IN ('held', 'support');
CREATE INDEX comments_post_queue ON comments (post_id, created_at, seq)
	WHERE status IN ('held', 'support');

CREATE TABLE idempotency_keys (
	key        TEXT PRIMARY KEY,
	comment_id TEXT NOT NULL REFERENCES comments (id) DEFERRABLE INITIALLY DEFERRED,
	created_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
	seq         INTEGER PRIMARY KEY,
	comment_id  TEXT NOT NULL REFERENCES comments (id),
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	note        TEXT NOT NULL,
	from_status TEXT NOT NULL,
	to_status   TEXT NOT NULL,
	at          INTEGER NOT NULL
);
CREATE INDEX audit_log_comment ON audit_log (comment_id, seq);

-- Only the SHA-256 of a key's secret is kept.
CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	role       TEXT NOT NULL,
	hash       BLOB NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
);
