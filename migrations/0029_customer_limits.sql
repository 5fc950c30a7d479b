-- Per-customer limits (WAL-5, OPS-2): an operator may lower or raise some of one
-- customer's limits; the rest stay the configured defaults (LIMIT_* in src/config.ts).
--
-- Only the caps that describe how much one customer moves are overridable: card top-ups
-- per rolling 24 h and 30 days, the balance maximum and payments per rolling 24 h. The
-- per-transaction bounds (card top-up min/max, cash steps, one payment's maximum) are
-- product rules for everyone, and the restricted-mode cap (ID-10) is a security control
-- an operator must never widen for one account.
--
-- A NULL column means "the default": a customer without a row, or with every column NULL,
-- has exactly the configured limits, so changing a default still reaches everyone not
-- given a value of their own. Lowering is free (down to 0: "no card top-ups at all");
-- raising above the default beyond APPROVAL_LIMIT_RAISE_YEN needs a second operator
-- (src/wallet/overrides/). The checks below keep a wrong value out even if a bug or a
-- hand-written UPDATE tries: never negative, never past ¥100,000,000.

CREATE TABLE customer_limits (
  user_id         uuid PRIMARY KEY REFERENCES users (id),
  card_topup_24h  bigint CHECK (card_topup_24h BETWEEN 0 AND 100000000),
  card_topup_30d  bigint CHECK (card_topup_30d BETWEEN 0 AND 100000000),
  balance_max     bigint CHECK (balance_max BETWEEN 0 AND 100000000),
  payment_24h     bigint CHECK (payment_24h BETWEEN 0 AND 100000000),
  updated_at      timestamptz NOT NULL,
  updated_by      text NOT NULL                  -- 'opr_…', 'operator-token' or 'cli:<user>'
);

-- Every change, never updated or deleted: who asked, who approved (NULL when no second
-- operator was needed), why, and the overrides before and after (JSON objects of the four
-- columns above, NULL = default). The audit chain records the same change tamper-evidently
-- (action `customer.limits`); this table is the readable history, by customer.
CREATE TABLE customer_limit_changes (
  id            uuid PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES users (id),
  changed_at    timestamptz NOT NULL,
  requested_by  text NOT NULL,
  approved_by   text,
  approval_id   text,                            -- 'apr_…' when a second operator approved
  reason        text NOT NULL,
  old_limits    jsonb NOT NULL,
  new_limits    jsonb NOT NULL,
  CHECK ((approved_by IS NULL) = (approval_id IS NULL))
);
CREATE INDEX customer_limit_changes_by_user ON customer_limit_changes (user_id, changed_at DESC);
