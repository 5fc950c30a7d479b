-- Forced password resets of many accounts at once (`npm run ops -- passwords force-reset`),
-- for an incident like 7pay's, where every password had to be treated as known.
--
-- A run walks the selected accounts in id order. Each batch is one transaction that marks
-- its accounts, revokes their sessions, records their security events, queues their
-- notices and moves `cursor` past them, so a crash or Ctrl-C loses at most the batch in
-- flight (rolled back, done again on resume) and no account is ever processed twice.
CREATE TABLE password_reset_runs (
  id               uuid PRIMARY KEY,
  status           text NOT NULL CHECK (status IN ('running', 'completed')),
  reason           text NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  since            timestamptz,          -- NULL: every account; else created or signed in since
  selected_before  timestamptz NOT NULL, -- accounts created after the run began are left alone: their password is new
  total            bigint NOT NULL,      -- accounts selected when the run began, for progress
  cursor           uuid,                 -- the last account processed (users.id order); NULL before the first batch
  processed        bigint NOT NULL DEFAULT 0,
  sessions_revoked bigint NOT NULL DEFAULT 0,
  notices_queued   bigint NOT NULL DEFAULT 0,
  started_by       text NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  completed_at     timestamptz
);
-- One unfinished run at a time: a second one would race the first over the same accounts.
CREATE UNIQUE INDEX password_reset_runs_one_running ON password_reset_runs (status) WHERE status = 'running';

-- `--since`: accounts that signed in since a date. Sessions keep their rows after revocation,
-- and sessions_by_user only covers live ones, so the selection needs its own index.
CREATE INDEX sessions_by_user_created ON sessions (user_id, created_at);
