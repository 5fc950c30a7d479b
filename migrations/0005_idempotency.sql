-- Idempotency keys (WAL-2, Stripe's rules): the first answer to a money-moving request is
-- kept for 24 h and replayed for any retry with the same key and the same request. The
-- answer is written in the same transaction as the money movement, so either both
-- happened or neither did.
CREATE TABLE idempotency_keys (
  scope           text NOT NULL,                 -- who may use the key: 'usr:<id>', 'trm:<id>'
  key             text NOT NULL,
  request_digest  bytea NOT NULL,                -- SHA-256 of method, route and body
  state           text NOT NULL CHECK (state IN ('started', 'done')),
  locked_until    timestamptz NOT NULL,          -- a started request abandoned past this may be taken over
  response_status integer,
  response_body   jsonb,
  created_at      timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);
