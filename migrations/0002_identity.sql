-- Identity: customers, their factors, devices, sessions, verification flows and
-- security events (SPEC.md §3, ID-1 … ID-13).

CREATE TABLE users (
  id                  uuid PRIMARY KEY,
  email               text NOT NULL,                 -- normalised: trimmed, lower-case
  email_verified_at   timestamptz NOT NULL,
  phone               text NOT NULL,                 -- E.164, verified by SMS at sign-up
  phone_verified_at   timestamptz NOT NULL,
  password_hash       text NOT NULL,                 -- argon2id with the server pepper as its secret
  password_changed_at timestamptz NOT NULL,
  must_reset_password boolean NOT NULL DEFAULT false, -- set when the password shows up as breached
  locale              text NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  frozen_at           timestamptz,                   -- "this wasn't me" or an operator: nothing moves
  frozen_reason       text,
  restricted_until    timestamptz,                   -- ID-10 cooling-off after recovery, new device, contact change
  created_at          timestamptz NOT NULL
);
-- One verified phone number (and one e-mail address) belongs to one account.
CREATE UNIQUE INDEX users_email ON users (email);
CREATE UNIQUE INDEX users_phone ON users (phone);

-- Devices that completed a second factor. A device credential (signed, held by the
-- app or a cookie) names a row here; revoking the row makes the credential worthless.
CREATE TABLE devices (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users (id),
  label        text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX devices_by_user ON devices (user_id, created_at DESC);

CREATE TABLE sessions (
  id                uuid PRIMARY KEY,
  user_id           uuid NOT NULL REFERENCES users (id),
  device_id         uuid REFERENCES devices (id),
  token_hash        bytea NOT NULL,                -- SHA-256 of the opaque token; the token itself is never stored
  transport         text NOT NULL CHECK (transport IN ('cookie', 'bearer')),
  created_at        timestamptz NOT NULL,
  authenticated_at  timestamptz NOT NULL,          -- last (re)authentication: privileged actions need it recent
  last_seen_at      timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,          -- absolute lifetime
  revoked_at        timestamptz,
  ip                text,
  user_agent        text
);
CREATE UNIQUE INDEX sessions_token ON sessions (token_hash);
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- A multi-step flow (sign-up, login on a new device, recovery, contact change) and the
-- one-time codes bound to it. Codes are stored as keyed hashes; failures are counted
-- per challenge and survive resends.
CREATE TABLE auth_flows (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL,
  user_id      uuid REFERENCES users (id),
  data         jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  completed_at timestamptz,
  failed_at    timestamptz
);

CREATE TABLE otp_challenges (
  id           uuid PRIMARY KEY,
  flow_id      uuid NOT NULL REFERENCES auth_flows (id),
  purpose      text NOT NULL,
  channel      text NOT NULL CHECK (channel IN ('email', 'sms')),
  destination  text NOT NULL,
  code_hash    bytea,                               -- NULL until sent, and again once used
  expires_at   timestamptz NOT NULL,
  failures     integer NOT NULL DEFAULT 0,
  sends        integer NOT NULL DEFAULT 0,
  last_sent_at timestamptz,
  verified_at  timestamptz,
  UNIQUE (flow_id, purpose)
);

CREATE TABLE totp_factors (
  user_id        uuid PRIMARY KEY REFERENCES users (id),
  secret_sealed  text NOT NULL,                     -- AES-256-GCM under the encryption key
  confirmed_at   timestamptz,
  last_used_step bigint NOT NULL DEFAULT 0          -- a code of a step at or before this is a replay
);

CREATE TABLE recovery_codes (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id),
  code_hash  bytea NOT NULL,
  created_at timestamptz NOT NULL,
  used_at    timestamptz
);
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id) WHERE used_at IS NULL;

CREATE TABLE passkeys (
  id            text PRIMARY KEY,                   -- the credential id, base64url
  user_id       uuid NOT NULL REFERENCES users (id),
  public_key    bytea NOT NULL,
  counter       bigint NOT NULL,
  transports    text[] NOT NULL DEFAULT '{}',
  device_type   text NOT NULL,
  backed_up     boolean NOT NULL,
  label         text NOT NULL,
  created_at    timestamptz NOT NULL,
  last_used_at  timestamptz
);
CREATE INDEX passkeys_by_user ON passkeys (user_id);

CREATE TABLE push_subscriptions (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id),
  endpoint   text NOT NULL,
  p256dh     text NOT NULL,
  auth       text NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (user_id, endpoint)
);

-- Security events (ID-13): what happened to an account, for the customer and support.
CREATE TABLE security_events (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id),
  kind       text NOT NULL,
  ip         text,
  device_id  uuid,
  details    jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL
);
CREATE INDEX security_events_by_user ON security_events (user_id, created_at DESC);

-- Failure counters for login throttling when no Redis is configured.
CREATE TABLE throttle_counters (
  key          text PRIMARY KEY,
  failures     integer NOT NULL,
  window_start timestamptz NOT NULL,
  last_failure timestamptz NOT NULL
);
