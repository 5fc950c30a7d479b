-- Fencing for idempotency claims. A request whose claim lapsed may be taken over by a
-- retry; the original must then not take effect when it finally gets to run. Each claim
-- gets its own id, and the business transaction locks the key row under that id before
-- doing anything: a taken-over request finds its id gone and changes nothing, and a
-- retry trying to take over a request that is running waits on that lock.
ALTER TABLE idempotency_keys ADD COLUMN claim_id uuid;
