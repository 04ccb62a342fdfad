-- The idempotency key becomes two columns, the ID of the API key that sent
-- the request and the client's Idempotency-Key, instead of one text that
-- joined them with a NUL byte. PostgreSQL text cannot hold a NUL, so no
-- stored row has the joined form: existing rows were written through the
-- library with no API key and keep an empty key_id.
ALTER TABLE idempotency_keys ADD COLUMN key_id text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys ALTER COLUMN key_id DROP DEFAULT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (key_id, key);
