-- Throttle counters (ID-3, ID-5) when no Redis is configured: login back-off counters,
-- the global failure-rate windows, used proof-of-work solutions and code-send budgets.
-- 0002's table had no place for a block's end or an expiry judged by the application's
-- clock, and nothing used it yet, so it is replaced. Losing these rows is harmless:
-- they are counters, never records.
DROP TABLE throttle_counters;

CREATE TABLE throttle_counters (
  key           text PRIMARY KEY,          -- kind prefix + keyed hash: no e-mail, phone or IP at rest
  count         integer NOT NULL,
  blocked_until timestamptz,               -- back-off keys: no attempt before this
  expires_at    timestamptz NOT NULL       -- forgotten from then on (the application's clock)
);
-- For the sweep of expired rows.
CREATE INDEX throttle_counters_expiry ON throttle_counters (expires_at);
