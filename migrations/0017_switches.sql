-- Kill switches (src/ops/switches/, SPEC OPS-1): operators turn a feature off for
-- everyone, or (payments, cash top-ups) for one store, and every server obeys within
-- a second or two.
--
-- Three tables: the current state per switch, the append-only history of every change
-- (who, when, on or off, why), and one counter that every change moves on. Each server
-- polls the counter (one primary-key read) and reloads the state only when it moved, so
-- the hot path checks memory and the database sees one tiny read per server per tick.
-- Changes take the counter's row lock first, so they are applied one at a time, in the
-- order of their `seq`.

CREATE TABLE feature_switch_version (
  id       boolean PRIMARY KEY DEFAULT true CHECK (id),
  version  bigint NOT NULL
);
INSERT INTO feature_switch_version (id, version) VALUES (true, 0);

CREATE TABLE feature_switches (
  id          uuid PRIMARY KEY,
  feature     text NOT NULL CHECK (feature IN ('card_topups', 'cash_topups', 'payments', 'signups')),
  store_id    uuid REFERENCES stores (id),        -- NULL: the switch for every store (or no store at all)
  off         boolean NOT NULL,
  reason      text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  changed_by  text NOT NULL,
  changed_at  timestamptz NOT NULL,
  seq         bigint NOT NULL,                    -- the change (feature_switch_changes.seq) that set this state
  -- Only what happens at a store's till can be switched off for one store.
  CHECK (store_id IS NULL OR feature IN ('cash_topups', 'payments')),
  CHECK (NOT off OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX feature_switches_global ON feature_switches (feature) WHERE store_id IS NULL;
CREATE UNIQUE INDEX feature_switches_store ON feature_switches (feature, store_id) WHERE store_id IS NOT NULL;

-- Append-only: the code only inserts and reads (src/ops/switches/repo.ts).
CREATE TABLE feature_switch_changes (
  seq         bigint PRIMARY KEY,                 -- feature_switch_version.version after this change
  feature     text NOT NULL,
  store_id    uuid REFERENCES stores (id),
  off         boolean NOT NULL,
  reason      text,
  changed_by  text NOT NULL,
  changed_at  timestamptz NOT NULL
);
