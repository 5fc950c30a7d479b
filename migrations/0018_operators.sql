-- Operator accounts for people (SPEC OPS-2): support, risk and admin staff sign in to the
-- console with a password and a TOTP code, every time. Machines keep the shared
-- OPERATOR_API_TOKEN; these tables are for people, so each action names who did it.

CREATE TABLE operators (
  id                 uuid PRIMARY KEY,
  email              text NOT NULL,                -- normalised: trimmed, lower-case
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  role               text NOT NULL CHECK (role IN ('support', 'risk', 'admin')),
  password_hash      text NOT NULL,                -- argon2id with the server pepper, as customers' passwords
  totp_secret_sealed text NOT NULL,                -- AES-256-GCM under the encryption key, bound to the operator id
  totp_last_step     bigint NOT NULL DEFAULT 0,    -- a code of a step at or before this is a replay
  created_at         timestamptz NOT NULL,
  disabled_at        timestamptz                   -- a disabled operator cannot sign in; their sessions end with it
);
CREATE UNIQUE INDEX operators_email ON operators (email);

CREATE TABLE operator_sessions (
  id           uuid PRIMARY KEY,
  operator_id  uuid NOT NULL REFERENCES operators (id),
  token_hash   bytea NOT NULL,                     -- SHA-256 of the opaque token; the token itself is never stored
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,               -- the idle timeout counts from here
  expires_at   timestamptz NOT NULL,               -- absolute lifetime (a working day)
  revoked_at   timestamptz,
  ip           text,
  user_agent   text
);
CREATE UNIQUE INDEX operator_sessions_token ON operator_sessions (token_hash);
CREATE INDEX operator_sessions_by_operator ON operator_sessions (operator_id) WHERE revoked_at IS NULL;
