-- One-time payment codes and unlocking the app (SPEC.md PAY-1, PAY-5; src/codes/).

-- A 4–6 digit app PIN per remembered device, set from a privileged session. Stored as
-- argon2id with the server pepper, like passwords. Five wrong PINs in a row disable it
-- (the hash is erased) until a new PIN is set.
CREATE TABLE device_pins (
  device_id   uuid PRIMARY KEY REFERENCES devices (id),
  user_id     uuid NOT NULL REFERENCES users (id),
  pin_hash    text,                                  -- NULL once disabled
  failures    integer NOT NULL DEFAULT 0,            -- consecutive wrong PINs; a right one resets it
  set_at      timestamptz NOT NULL,
  disabled_at timestamptz
);

-- The last unlock (PIN or passkey) of a device-bound session: a payment code can be
-- made only within a few minutes of it.
CREATE TABLE session_unlocks (
  session_id  uuid PRIMARY KEY REFERENCES sessions (id),
  user_id     uuid NOT NULL REFERENCES users (id),
  device_id   uuid NOT NULL REFERENCES devices (id),
  method      text NOT NULL CHECK (method IN ('pin', 'passkey')),
  unlocked_at timestamptz NOT NULL
);

-- The code itself is never stored: only an HMAC under the signing key, so a database
-- dump cannot be turned into payable codes, and a lookup is one index probe.
CREATE TABLE payment_codes (
  id            uuid PRIMARY KEY,
  code_digest   bytea NOT NULL,
  user_id       uuid NOT NULL REFERENCES users (id),
  device_id     uuid NOT NULL REFERENCES devices (id),
  session_id    uuid NOT NULL REFERENCES sessions (id),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at       timestamptz,
  superseded_at timestamptz                          -- a newer code was made on the same device
);
CREATE UNIQUE INDEX payment_codes_digest ON payment_codes (code_digest);
-- Issuing supersedes the device's codes still open; this finds them.
CREATE INDEX payment_codes_open_by_device ON payment_codes (device_id) WHERE used_at IS NULL AND superseded_at IS NULL;
