-- Cards and card top-ups (WAL-3, WAL-5). The card number never reaches these tables:
-- the card network keeps it and gives us a token, a keyed fingerprint and the last four
-- digits.

CREATE TABLE cards (
  id                uuid PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users (id),
  psp_token         text NOT NULL,
  fingerprint       text NOT NULL,
  brand             text NOT NULL,
  last4             text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month         int NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year          int NOT NULL,
  -- pending: waiting for the holder's 3-D Secure challenge and the verification;
  -- active: usable for top-ups; failed: verification refused; removed: by the holder.
  status            text NOT NULL CHECK (status IN ('pending', 'active', 'failed', 'removed')),
  authentication_id text,                    -- the card network's 3-D Secure session for the verification
  failure_code      text,                    -- why verification failed (incorrect_cvc, stolen_card, …)
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX cards_by_user ON cards (user_id, created_at DESC);
-- One card belongs to one account at a time (a stolen card added to many accounts is
-- how a raid spreads); the service says so politely first, this index stands behind it.
CREATE UNIQUE INDEX cards_active_fingerprint ON cards (fingerprint) WHERE status = 'active';
-- Failed security-code checks are counted per card and per account over a window.
CREATE INDEX cards_failures_by_fingerprint ON cards (fingerprint, updated_at) WHERE failure_code IS NOT NULL;

CREATE TABLE card_topups (
  id                   uuid PRIMARY KEY,
  user_id              uuid NOT NULL REFERENCES users (id),
  card_id              uuid NOT NULL REFERENCES cards (id),
  amount               bigint NOT NULL CHECK (amount > 0),
  status               text NOT NULL CHECK (status IN ('requires_action', 'processing', 'succeeded', 'failed', 'canceled')),
  authentication_id    text,                 -- this top-up's own 3-D Secure session: every top-up is challenged
  challenge_url        text,
  pending_transfer_id  uuid NOT NULL REFERENCES ledger_transfers (id),
  resolved_transfer_id uuid REFERENCES ledger_transfers (id),
  failure_code         text,
  -- requires_action ends (canceled) at this time if the challenge is not completed.
  action_expires_at    timestamptz NOT NULL,
  -- processing: when the reconciliation job next asks the card network.
  next_check_at        timestamptz,
  checks               int NOT NULL DEFAULT 0,
  charged_back_at      timestamptz,
  created_at           timestamptz NOT NULL,
  updated_at           timestamptz NOT NULL,
  CHECK ((status IN ('succeeded', 'failed', 'canceled')) = (resolved_transfer_id IS NOT NULL))
);
CREATE INDEX card_topups_by_user ON card_topups (user_id, created_at DESC);
CREATE INDEX card_topups_open ON card_topups (next_check_at) WHERE status = 'processing';
CREATE INDEX card_topups_awaiting ON card_topups (action_expires_at) WHERE status = 'requires_action';

-- Card network webhooks already handled (receivers deduplicate by event id).
CREATE TABLE card_network_events (
  id          text PRIMARY KEY,
  type        text NOT NULL,
  received_at timestamptz NOT NULL
);
