-- The tamper-evident operator audit log and two-operator approvals (SPEC OPS-2).
--
-- audit_log is append-only by convention of the code (no UPDATE or DELETE is ever
-- issued on it); what makes it tamper-evident is the chain: each row carries the hash of
-- the row before it, and its own hash is SHA-256 over a canonical encoding of its fields
-- (src/ops/audit/chain.ts). `npm run ops -- audit verify` walks the chain.

CREATE TABLE audit_log (
  seq       bigint PRIMARY KEY CHECK (seq > 0),   -- 1, 2, 3 … without gaps: a gap is a deleted row
  at        timestamptz NOT NULL,                 -- millisecond precision (a JS Date), hashed as ISO 8601
  who       text NOT NULL,                        -- opr_…, operator-token or cli:<user>
  action    text NOT NULL,
  ids       jsonb NOT NULL,                       -- string values only: ids, never bodies or secrets
  outcome   text NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash      text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_by_who ON audit_log (who, seq);

-- The chain's head: one row, locked FOR UPDATE by every append, so appends line up and
-- the chain never forks. It also remembers the last seq and hash, so a truncated tail
-- (rows deleted from the end) shows as a head pointing past the last row.
CREATE TABLE audit_head (
  id   smallint PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Actions that wait for a second operator. The requester's module writes `payload`;
-- the kind's registered handler (src/ops/approvals/registry.ts) performs it on approval,
-- in the transaction that marks the row approved.
CREATE TABLE approval_requests (
  id              uuid PRIMARY KEY,
  kind            text NOT NULL,
  subject_ids     jsonb NOT NULL DEFAULT '{}',
  amount          bigint CHECK (amount IS NULL OR amount >= 0),   -- yen, for actions that move money
  payload         jsonb NOT NULL DEFAULT '{}',
  reason          text NOT NULL,
  requested_by    text NOT NULL,
  requested_at    timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
  decided_by      text,
  decided_at      timestamptz,
  decision_reason text,
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  -- Two people, always: the database refuses a self-approval even if the code forgot to.
  CHECK (status <> 'approved' OR decided_by <> requested_by)
);
CREATE INDEX approval_requests_pending ON approval_requests (kind, requested_at) WHERE status = 'pending';
CREATE INDEX approval_requests_recent ON approval_requests (requested_at DESC, id DESC);
