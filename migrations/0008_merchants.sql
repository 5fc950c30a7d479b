-- Merchants, their stores and the stores' POS terminals (src/merchants/), and the nonces
-- of signed POS requests (src/pos/, SPEC PAY-2).

CREATE TABLE merchants (
  id          uuid PRIMARY KEY,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at  timestamptz NOT NULL
);

CREATE TABLE stores (
  id           uuid PRIMARY KEY,
  merchant_id  uuid NOT NULL REFERENCES merchants (id),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  created_at   timestamptz NOT NULL
);
CREATE INDEX stores_by_merchant ON stores (merchant_id);

-- A terminal signs every request with its own secret (HMAC-SHA256). The server must
-- recompute signatures, so the secret cannot be a one-way hash: it is sealed with
-- AES-256-GCM under the server's encryption key, bound to the row's id, and the
-- plaintext is shown once, when it is made. Revocation is final.
CREATE TABLE terminals (
  id             uuid PRIMARY KEY,
  store_id       uuid NOT NULL REFERENCES stores (id),
  key_id         text NOT NULL UNIQUE,           -- public: sent in Konpay-Key-Id
  secret_sealed  text NOT NULL,                  -- seal(encryptionKey, secret, id)
  status         text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'revoked')),
  created_at     timestamptz NOT NULL,
  rotated_at     timestamptz,
  revoked_at     timestamptz,
  CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE INDEX terminals_by_store ON terminals (store_id);

-- Nonces of accepted requests, so a captured request cannot be sent again. A row is
-- needed only while the request's timestamp could still pass the skew check (at most
-- twice the window after it was seen); older rows are pruned per terminal as new
-- requests arrive (src/pos/repo.ts).
CREATE TABLE pos_nonces (
  terminal_id  uuid NOT NULL REFERENCES terminals (id),
  nonce        text NOT NULL,
  seen_at      timestamptz NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
CREATE INDEX pos_nonces_by_age ON pos_nonces (terminal_id, seen_at);
