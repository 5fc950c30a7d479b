-- Daily settlement and payouts (src/settlement/, SPEC PAY-4).
--
-- Where a payee's money goes: a merchant's bank account, and optionally one per store
-- (convenience stores are often franchisees, paid apart from the chain). A payout goes
-- to the store's own account when it has one, else to its merchant's. The kana fields
-- are what the Zengin transfer file carries (half-width katakana, digits, upper-case
-- letters and a few symbols); src/settlement/kana.ts checks the characters, the table
-- only the shapes and lengths (one half-width character is one byte in the file).
CREATE TABLE payee_bank_accounts (
  id               uuid PRIMARY KEY,
  merchant_id      uuid REFERENCES merchants (id),
  store_id         uuid REFERENCES stores (id),
  bank_code        text NOT NULL CHECK (bank_code ~ '^[0-9]{4}$'),
  bank_name_kana   text NOT NULL CHECK (char_length(bank_name_kana) BETWEEN 1 AND 15),
  branch_code      text NOT NULL CHECK (branch_code ~ '^[0-9]{3}$'),
  branch_name_kana text NOT NULL CHECK (char_length(branch_name_kana) BETWEEN 1 AND 15),
  account_type     smallint NOT NULL CHECK (account_type IN (1, 2)),   -- 1 普通 (ordinary), 2 当座 (current)
  account_number   text NOT NULL CHECK (account_number ~ '^[0-9]{7}$'),
  holder_kana      text NOT NULL CHECK (char_length(holder_kana) BETWEEN 1 AND 30),
  updated_at       timestamptz NOT NULL,
  CHECK ((merchant_id IS NULL) <> (store_id IS NULL))
);
CREATE UNIQUE INDEX payee_bank_accounts_merchant ON payee_bank_accounts (merchant_id) WHERE merchant_id IS NOT NULL;
CREATE UNIQUE INDEX payee_bank_accounts_store ON payee_bank_accounts (store_id) WHERE store_id IS NOT NULL;

-- The settlement's cross-check sums a JST day's payment, cancellation and refund
-- transfers; without this it would read the whole transfer table each day.
CREATE INDEX ledger_transfers_by_kind_time ON ledger_transfers (kind, created_at);
