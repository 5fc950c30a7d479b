-- The card-network simulator's own tables (src/cardnet/). They stand for a PSP's and an
-- issuer's databases, not Konpay's: Konpay code never reads them. The card number is
-- never stored, not even encrypted: a keyed fingerprint, the last four digits and the
-- test-card profile are all the simulated issuer needs.
CREATE TABLE cardnet_tokens (
  id           uuid PRIMARY KEY,
  fingerprint  text NOT NULL,                  -- HMAC-SHA256 of the PAN under the simulator's key
  profile      text NOT NULL,                  -- the test-card behaviour (docs/cardnet.md)
  brand        text NOT NULL,
  last4        text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month    integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year     integer NOT NULL,
  holder_name  text NOT NULL,
  phone        text NOT NULL,                  -- E.164; where the issuer sends challenge codes
  created_at   timestamptz NOT NULL
);
CREATE INDEX cardnet_tokens_fingerprint ON cardnet_tokens (fingerprint);

-- 3-D Secure 2 authentications and their issuer challenge.
CREATE TABLE cardnet_authentications (
  id               uuid PRIMARY KEY,
  token_id         uuid NOT NULL REFERENCES cardnet_tokens (id),
  amount           bigint NOT NULL CHECK (amount > 0),
  return_url       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('authenticated', 'challenge_required', 'failed')),
  code_digest      bytea,                      -- HMAC of the one-time code; NULL once spent
  code_expires_at  timestamptz,
  failed_attempts  integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);

-- Authorisations, keyed by the caller's reference so a retry never authorises twice.
CREATE TABLE cardnet_payments (
  id                 uuid PRIMARY KEY,
  reference          text NOT NULL UNIQUE,
  request_digest     bytea NOT NULL,
  token_id           uuid NOT NULL REFERENCES cardnet_tokens (id),
  -- One authorisation per authentication: a 3-D Secure result is never reused.
  authentication_id  uuid NOT NULL UNIQUE REFERENCES cardnet_authentications (id),
  amount             bigint NOT NULL CHECK (amount > 0),
  captured           bigint NOT NULL DEFAULT 0,
  refunded           bigint NOT NULL DEFAULT 0,
  status             text NOT NULL CHECK (status IN ('authorized', 'declined', 'captured', 'voided', 'charged_back')),
  decline_code       text,
  chargeback_due_at  timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CHECK (captured >= 0 AND captured <= amount),
  CHECK (refunded >= 0 AND refunded <= captured)
);
CREATE INDEX cardnet_payments_chargeback_due ON cardnet_payments (chargeback_due_at) WHERE chargeback_due_at IS NOT NULL;

-- Captures, voids, refunds and chargebacks, each keyed by the caller's reference
-- (chargebacks by the simulator's own); the settlement file is read from here.
CREATE TABLE cardnet_operations (
  reference       text PRIMARY KEY,
  request_digest  bytea NOT NULL,
  payment_id      uuid NOT NULL REFERENCES cardnet_payments (id),
  kind            text NOT NULL CHECK (kind IN ('capture', 'void', 'refund', 'chargeback')),
  amount          bigint NOT NULL CHECK (amount >= 0),
  created_at      timestamptz NOT NULL
);
CREATE INDEX cardnet_operations_day ON cardnet_operations (created_at);

-- Webhooks to the merchant (Konpay), delivered after commit and retried until acknowledged.
CREATE TABLE cardnet_webhooks (
  id               uuid PRIMARY KEY,
  event_type       text NOT NULL,
  body             text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  delivered_at     timestamptz,
  created_at       timestamptz NOT NULL
);
CREATE INDEX cardnet_webhooks_due ON cardnet_webhooks (next_attempt_at) WHERE delivered_at IS NULL;
