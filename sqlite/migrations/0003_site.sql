-- A post's comments by status, in the order listings page through them.
CREATE INDEX comments_post_status ON comments (post_id, status, created_at, id);

-- Webhooks and the durable outbox of their deliveries. An event row is
-- written in the same transaction as the comment or decision it reports,
-- with one delivery row per webhook that wants it.
CREATE TABLE webhooks (
	id         TEXT PRIMARY KEY,
	url        TEXT NOT NULL,
	secret     TEXT NOT NULL,
	events     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);

CREATE TABLE webhook_events (
	seq        INTEGER PRIMARY KEY,
	id         TEXT NOT NULL UNIQUE,
	type       TEXT NOT NULL,
	comment_id TEXT NOT NULL,
	body       BLOB NOT NULL,
	created_at INTEGER NOT NULL
);

-- next_at doubles as the lease: a sender that claims a delivery moves
-- next_at past the lease, so a sender that dies leaves it due again.
CREATE TABLE webhook_deliveries (
	event_id    TEXT NOT NULL,
	webhook_id  TEXT NOT NULL,
	url         TEXT NOT NULL,
	state       TEXT NOT NULL,
	attempts    INTEGER NOT NULL,
	next_at     INTEGER NOT NULL,
	last_status INTEGER NOT NULL,
	last_error  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	PRIMARY KEY (event_id, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (updated_at);
