CREATE TABLE posts (
	id         text PRIMARY KEY,
	text       text NOT NULL,
	line       text NOT NULL,
	topics     jsonb NOT NULL,
	sensitive  boolean NOT NULL,
	created_at timestamptz NOT NULL
);

-- seq keeps insertion order for comments created in the same microsecond.
CREATE TABLE comments (
	seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id            text NOT NULL UNIQUE,
	post_id       text NOT NULL,
	author        text NOT NULL,
	text          text NOT NULL,
	decision      text NOT NULL,
	status        text NOT NULL,
	scores        jsonb NOT NULL,
	reasons       jsonb NOT NULL,
	evidence      jsonb NOT NULL,
	claimed_by    text,
	claimed_until timestamptz,
	created_at    timestamptz NOT NULL,
	updated_at    timestamptz NOT NULL
);

-- The queue indexes cover waiting comments only: published ones are the
-- bulk of the table and are never listed.
CREATE INDEX comments_queue ON comments (created_at, seq)
	WHERE status IN ('held', 'support');
CREATE INDEX comments_post_queue ON comments (post_id, created_at, seq)
	WHERE status IN ('held', 'support');

-- Deferred so that a key and its comment can be inserted in one statement
-- in either order.
CREATE TABLE idempotency_keys (
	key        text PRIMARY KEY,
	comment_id text NOT NULL REFERENCES comments (id) DEFERRABLE INITIALLY DEFERRED,
	created_at timestamptz NOT NULL
);

CREATE TABLE audit_log (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	comment_id  text NOT NULL REFERENCES comments (id),
	actor       text NOT NULL,
	action      text NOT NULL,
	note        text NOT NULL,
	from_status text NOT NULL,
	to_status   text NOT NULL,
	at          timestamptz NOT NULL
);
CREATE INDEX audit_log_comment ON audit_log (comment_id, seq);

-- Only the SHA-256 of a key's secret is kept.
CREATE TABLE api_keys (
	id         text PRIMARY KEY,
	role       text NOT NULL,
	hash       bytea NOT NULL UNIQUE,
	created_at timestamptz NOT NULL
);
