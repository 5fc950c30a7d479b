-- Payments at the till (PAY-2, PAY-5, WAL-7). A payment moves money in one ledger
-- transfer from the wallet to the merchant's payable account; cancelling and refunding
-- are transfers back, never edits. The rows here are the business record the POS, the
-- settlement and the customer's history read; the ledger is the money.

CREATE TABLE payments (
  id                 uuid PRIMARY KEY,
  merchant_id        uuid NOT NULL REFERENCES merchants (id),
  store_id           uuid NOT NULL REFERENCES stores (id),
  terminal_id        uuid NOT NULL REFERENCES terminals (id),
  user_id            uuid NOT NULL REFERENCES users (id),
  code_id            uuid NOT NULL,               -- the one-time code it used up
  order_id           text NOT NULL CHECK (length(order_id) BETWEEN 1 AND 64),  -- the store's own order number
  amount             bigint NOT NULL CHECK (amount > 0),
  fee                bigint NOT NULL CHECK (fee >= 0 AND fee <= amount),       -- the merchant's fee, decided at payment
  categories         text[] NOT NULL,
  status             text NOT NULL CHECK (status IN ('approved', 'canceled')),
  refunded           bigint NOT NULL DEFAULT 0 CHECK (refunded >= 0 AND refunded <= amount),
  transfer_id        uuid NOT NULL REFERENCES ledger_transfers (id),
  business_date      date NOT NULL,               -- the JST day it belongs to: same-day cancel, settlement
  created_at         timestamptz NOT NULL,
  canceled_at        timestamptz,
  cancel_transfer_id uuid REFERENCES ledger_transfers (id),
  CHECK ((status = 'canceled') = (canceled_at IS NOT NULL AND cancel_transfer_id IS NOT NULL)),
  CHECK (status = 'approved' OR refunded = 0),
  -- One sale, one payment: a till that lost an answer and retries under a new key is
  -- refused rather than charging the customer twice.
  UNIQUE (store_id, order_id)
);
CREATE INDEX payments_by_store_day ON payments (store_id, business_date);
CREATE INDEX payments_by_user ON payments (user_id, created_at DESC);
CREATE INDEX payments_by_time ON payments (created_at);

CREATE TABLE payment_refunds (
  id            uuid PRIMARY KEY,
  payment_id    uuid NOT NULL REFERENCES payments (id),
  store_id      uuid NOT NULL REFERENCES stores (id),
  terminal_id   uuid NOT NULL REFERENCES terminals (id),
  amount        bigint NOT NULL CHECK (amount > 0),
  reason        text,
  transfer_id   uuid NOT NULL REFERENCES ledger_transfers (id),
  business_date date NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX payment_refunds_by_payment ON payment_refunds (payment_id);
CREATE INDEX payment_refunds_by_store_day ON payment_refunds (store_id, business_date);

-- Every declined attempt, for the terminal's guess counter, risk and the console's charts.
CREATE TABLE payment_declines (
  id          uuid PRIMARY KEY,
  merchant_id uuid NOT NULL REFERENCES merchants (id),
  store_id    uuid NOT NULL REFERENCES stores (id),
  terminal_id uuid NOT NULL REFERENCES terminals (id),
  user_id     uuid REFERENCES users (id),           -- when the code named an account
  amount      bigint NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX payment_declines_by_terminal ON payment_declines (terminal_id, created_at);
CREATE INDEX payment_declines_by_time ON payment_declines (created_at);
