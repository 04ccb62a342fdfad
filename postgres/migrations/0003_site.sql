-- A post's comments by status, in the order listings page through them.
CREATE INDEX comments_post_status ON comments (post_id, status, created_at, id);

-- Webhooks and the durable outbox of their deliveries. An event row is
-- written by the same statement or transaction as the comment or decision
-- it reports, with one delivery row per webhook that wants it.
CREATE TABLE webhooks (
	id         text PRIMARY KEY,
	url        text NOT NULL,
	secret     text NOT NULL,
	events     jsonb NOT NULL,
	created_at timestamptz NOT NULL
);

CREATE TABLE webhook_events (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	id         text NOT NULL UNIQUE,
	type       text NOT NULL,
	comment_id text NOT NULL,
	body       bytea NOT NULL,
	created_at timestamptz NOT NULL
);

-- next_at doubles as the lease: a sender that claims a delivery moves
-- next_at past the lease, so a sender that dies leaves it due again.
CREATE TABLE webhook_deliveries (
	event_id    text NOT NULL,
	webhook_id  text NOT NULL,
	url         text NOT NULL,
	state       text NOT NULL,
	attempts    integer NOT NULL,
	next_at     timestamptz NOT NULL,
	last_status integer NOT NULL,
	last_error  text NOT NULL,
	created_at  timestamptz NOT NULL,
	updated_at  timestamptz NOT NULL,
	PRIMARY KEY (event_id, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_log ON webhook_deliveries (updated_at);
