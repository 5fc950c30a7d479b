-- Bulk messages wait behind everything else. A forced password reset for every account
-- queues one notice per customer (7pay had 16.5 million); claimed in arrival order, they
-- would hold sign-up, login and recovery codes back for hours, on the very day customers
-- most need to sign in again. The worker takes due non-bulk rows first.
ALTER TABLE outbox ADD COLUMN bulk boolean NOT NULL DEFAULT false;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (bulk, next_attempt_at) WHERE status = 'pending';
