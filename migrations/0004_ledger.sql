-- The ledger (WAL-1): double-entry accounts and immutable transfers, after TigerBeetle.
-- Every movement of money is a transfer from one account to another; account totals
-- are kept beside the transfers and updated in the same transaction. Corrections are
-- new transfers, never edits: nothing here is ever UPDATEd except the four totals.

CREATE TABLE ledger_accounts (
  id              uuid PRIMARY KEY,
  code            text NOT NULL UNIQUE,        -- 'wallet:<user>', 'card_clearing', 'store_cash:<store>', …
  kind            text NOT NULL CHECK (kind IN (
                    'wallet', 'card_clearing', 'store_cash', 'merchant_payable', 'fee_revenue',
                    'compensation', 'chargeback_loss')),
  user_id         uuid REFERENCES users (id),
  debits_posted   bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted  bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending  bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  -- A customer's wallet can never go below zero, pending spends included. The service
  -- checks this first and answers "insufficient funds"; the constraint is the backstop.
  debits_must_not_exceed_credits boolean NOT NULL,
  created_at      timestamptz NOT NULL,
  CHECK (NOT debits_must_not_exceed_credits OR debits_posted + debits_pending <= credits_posted)
);
CREATE UNIQUE INDEX ledger_accounts_wallet ON ledger_accounts (user_id) WHERE kind = 'wallet';

CREATE TABLE ledger_transfers (
  id                uuid PRIMARY KEY,            -- chosen by the caller: a retry finds its first attempt
  debit_account_id  uuid NOT NULL REFERENCES ledger_accounts (id),
  credit_account_id uuid NOT NULL REFERENCES ledger_accounts (id),
  amount            bigint NOT NULL CHECK (amount > 0),
  kind              text NOT NULL,               -- topup_card, topup_cash, payment, refund, reversal, …
  phase             text NOT NULL CHECK (phase IN ('single', 'pending', 'post_pending', 'void_pending')),
  pending_id        uuid REFERENCES ledger_transfers (id),
  expires_at        timestamptz,                 -- pending transfers only: voided by the sweeper after this
  reverses_id       uuid REFERENCES ledger_transfers (id),
  metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at        timestamptz NOT NULL,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((phase IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL)),
  CHECK ((phase = 'pending') = (expires_at IS NOT NULL))
);
-- A pending transfer is resolved (posted or voided) at most once.
CREATE UNIQUE INDEX ledger_transfers_resolution ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id, created_at DESC, id DESC);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id, created_at DESC, id DESC);
CREATE INDEX ledger_transfers_pending_expiry ON ledger_transfers (expires_at) WHERE phase = 'pending';
