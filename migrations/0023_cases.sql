-- Cases (SPEC RISK-2, OPS-3): what an analyst must look at. A risk hold (a top-up, payment
-- or card the risk engine held), a risk flag (allowed, but worth a look) or a customer's
-- claim of unauthorised use. A case is opened once, decided once: open → approved,
-- rejected or closed. Nothing here is deleted; a decision is one conditional UPDATE.

CREATE TABLE cases (
  id               uuid PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('risk_hold', 'risk_flag', 'claim')),
  status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'rejected', 'closed')),
  user_id          uuid NOT NULL REFERENCES users (id),
  -- What was held ('topup', 'payment', 'card', 'login', 'signup') and its id as the
  -- holder knows it; a claim names its disputed movements in case_movements instead.
  subject_type     text,
  subject_id       text,
  reasons          text[] NOT NULL DEFAULT '{}',
  evidence         jsonb NOT NULL DEFAULT '{}'::jsonb,  -- the risk decision's signals, or the claim's text
  assigned_to      text,                                -- 'opr_…' or 'operator-token'
  assigned_at      timestamptz,
  decided_by       text,
  decision_reason  text,
  -- A claim approved above the threshold waits for a second operator (src/ops/approvals/).
  approval_id      text,
  created_at       timestamptz NOT NULL,
  decided_at       timestamptz,
  CHECK ((status = 'open') = (decided_at IS NULL)),
  CHECK ((subject_type IS NULL) = (subject_id IS NULL))
);
CREATE INDEX cases_queue ON cases (created_at, id) WHERE status = 'open';
CREATE INDEX cases_by_created ON cases (created_at);
CREATE INDEX cases_by_decided ON cases (decided_at) WHERE decided_at IS NOT NULL;
CREATE INDEX cases_by_user ON cases (user_id, created_at DESC);

-- The movements a claim disputes. A movement is claimed once (refused claims included:
-- support reopens by hand), so two claims can never pay for the same movement.
CREATE TABLE case_movements (
  case_id      uuid NOT NULL REFERENCES cases (id),
  transfer_id  uuid NOT NULL REFERENCES ledger_transfers (id),
  amount       bigint NOT NULL CHECK (amount > 0),
  PRIMARY KEY (case_id, transfer_id)
);
CREATE UNIQUE INDEX case_movements_once ON case_movements (transfer_id);

-- A compensation paid for a claim: one per claim (the primary key), its ledger transfer's
-- id derived from the claim's, so neither a double approval nor a retry pays twice.
CREATE TABLE case_compensations (
  case_id      uuid PRIMARY KEY REFERENCES cases (id),
  transfer_id  uuid NOT NULL UNIQUE REFERENCES ledger_transfers (id),
  amount       bigint NOT NULL CHECK (amount > 0),
  paid_by      text NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE INDEX case_compensations_by_created ON case_compensations (created_at);
