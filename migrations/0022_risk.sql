-- The risk engine (SPEC RISK-1): its decision log, the indexes its signals read through,
-- store locations for impossible travel, and the second-factor time a step-up checks.

-- Every decision at login, sign-up, card addition and top-up, and every payment decision
-- that is not a plain allow (allowed payments are sampled: RISK_PAYMENT_ALLOW_SAMPLE).
-- The console's charts read (action, outcome, created_at); a case or an analyst's
-- "why" reads the signals the rules saw.
CREATE TABLE risk_decisions (
  id          uuid PRIMARY KEY,
  action      text NOT NULL CHECK (action IN ('login', 'signup', 'card_add', 'topup', 'payment')),
  user_id     uuid,                       -- null for a sign-up refused before an account exists
  subject_id  text,                       -- the top-up, card or payment asked for, when it has an id
  outcome     text NOT NULL CHECK (outcome IN ('allow', 'step_up', 'hold', 'deny')),
  reasons     text[] NOT NULL DEFAULT '{}',
  signals     jsonb NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX risk_decisions_by_time ON risk_decisions (created_at);
CREATE INDEX risk_decisions_by_user ON risk_decisions (user_id, created_at DESC) WHERE user_id IS NOT NULL;

-- Stores may say where they are; a store without a location keeps impossible travel silent.
ALTER TABLE stores ADD COLUMN latitude double precision CHECK (latitude BETWEEN -90 AND 90);
ALTER TABLE stores ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180);
ALTER TABLE stores ADD CONSTRAINT stores_location_pair CHECK ((latitude IS NULL) = (longitude IS NULL));

-- When this session last passed a second factor (SMS, TOTP, passkey, recovery code):
-- a step-up asks for one within the last minutes, and a password alone does not count.
ALTER TABLE sessions ADD COLUMN second_factor_at timestamptz;

-- "Accounts on one address" and "sign-ups from one address" read sessions and security
-- events by client address over a window.
CREATE INDEX sessions_by_ip ON sessions (ip, created_at) WHERE ip IS NOT NULL;
CREATE INDEX security_events_by_ip ON security_events (ip, kind, created_at) WHERE ip IS NOT NULL;
-- Distinct accounts that held one card, and card attempts per account in a window.
CREATE INDEX cards_by_fingerprint ON cards (fingerprint, user_id);

-- A top-up held by the risk engine waits here, unsent to the card network, until an
-- analyst decides its case.
ALTER TABLE card_topups ADD COLUMN held_at timestamptz;
