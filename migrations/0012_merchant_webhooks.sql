-- Merchant webhooks (PAY-3, src/webhooks/): where each merchant wants its events, the
-- events themselves, and a log of every delivery attempt.

-- The signing secret is sealed like a terminal's (AES-256-GCM under the server's
-- encryption key, bound to the row's id): Konpay signs with it at every send, so a
-- one-way hash will not do. Endpoints are disabled, never deleted: the delivery log
-- keeps pointing at them.
CREATE TABLE webhook_endpoints (
  id             uuid PRIMARY KEY,
  merchant_id    uuid NOT NULL REFERENCES merchants (id),
  url            text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
  secret_sealed  text NOT NULL,
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at     timestamptz NOT NULL,
  disabled_at    timestamptz,
  CHECK ((status = 'disabled') = (disabled_at IS NOT NULL))
);
CREATE INDEX webhook_endpoints_by_merchant ON webhook_endpoints (merchant_id, created_at);

-- One row per business event, written in the transaction of the change it reports (the
-- payment's), so an event exists exactly when its change committed. `payload` is the
-- body's `data`; the body is rebuilt from the row at each send, so a replay sends the
-- same bytes under a fresh signature.
CREATE TABLE webhook_events (
  id           uuid PRIMARY KEY,
  merchant_id  uuid NOT NULL REFERENCES merchants (id),
  type         text NOT NULL CHECK (type IN ('payment.approved', 'payment.canceled', 'payment.refunded')),
  payload      jsonb NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX webhook_events_by_merchant ON webhook_events (merchant_id, created_at);

-- Every attempt, whatever came of it. `outbox_id` tells a replay's attempts from the
-- first delivery's; `outcome` says what the outbox does next: nothing (delivered), try
-- again (retrying), give up (dead: the last attempt failed), or nothing because the
-- endpoint was disabled before the message went out (skipped).
CREATE TABLE webhook_deliveries (
  id           uuid PRIMARY KEY,
  event_id     uuid NOT NULL REFERENCES webhook_events (id),
  endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (id),
  merchant_id  uuid NOT NULL REFERENCES merchants (id),
  outbox_id    uuid NOT NULL,
  attempt      integer NOT NULL CHECK (attempt >= 1),
  outcome      text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'dead', 'skipped')),
  http_status  integer,
  error        text CHECK (length(error) <= 500),
  duration_ms  integer NOT NULL CHECK (duration_ms >= 0),
  at           timestamptz NOT NULL
);
CREATE INDEX webhook_deliveries_by_merchant ON webhook_deliveries (merchant_id, at DESC, id DESC);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
