-- Browser and app install ids (RISK-1): which accounts signed in or signed up from one
-- install, so the risk engine can count "accounts on one install" and "sign-ups from one
-- install" (coupon farming) across client addresses. A risk signal only, never
-- authentication (src/shared/install-id.ts).
--
-- One row per (install, account), not a column on sessions: the engine reads both counts
-- in one range scan of the primary key, over at most as many rows as the install has had
-- accounts, with no DISTINCT over every session of a busy install, and without a new
-- index or wider rows on the sessions table that every request reads. The price is one
-- upsert when a session is issued.
CREATE TABLE install_accounts (
  install_hash   bytea NOT NULL,                   -- SHA-256 of the install id; the id itself is never stored
  user_id        uuid NOT NULL REFERENCES users (id),
  first_seen_at  timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,             -- the latest session issued to this account on this install
  signed_up      boolean NOT NULL DEFAULT false,   -- the account was made on this install (at first_seen_at)
  PRIMARY KEY (install_hash, user_id)
);
-- The flow sweeper forgets pairs not seen for 90 days (src/identity/flow-sweeper.ts).
CREATE INDEX install_accounts_last_seen ON install_accounts (last_seen_at);
