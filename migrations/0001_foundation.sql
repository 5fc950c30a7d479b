-- Foundation: the transactional outbox and the development outbox.

-- Work committed together with a business change and performed afterwards by the
-- outbox worker (e-mail, SMS, push, later merchant webhooks). A row is claimed by
-- moving next_attempt_at forward by a lease, so a worker that dies mid-delivery leaves
-- the row to be picked up again when the lease runs out: delivery is at least once.
CREATE TABLE outbox (
  id              uuid PRIMARY KEY,
  topic           text NOT NULL,
  payload         jsonb,                 -- cleared once delivered: messages may carry one-time codes
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts    integer NOT NULL CHECK (max_attempts > 0),
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL,
  finished_at     timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

-- Outside production, a readable copy of every message sent on any channel.
CREATE TABLE dev_outbox_messages (
  id         uuid PRIMARY KEY,
  channel    text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  recipient  text NOT NULL,
  subject    text,
  body       text NOT NULL,
  meta       jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX dev_outbox_by_recipient ON dev_outbox_messages (recipient, created_at DESC);
CREATE INDEX dev_outbox_by_time ON dev_outbox_messages (created_at DESC);
