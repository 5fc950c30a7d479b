-- Which request recorded a nonce. Recording a nonce can commit while its answer is lost
-- (a connection reset mid-statement); the retry of that same recording must be told
-- "yours", not "reused", or a genuine till request is refused as a replay. A second
-- request with the nonce carries another use id and is refused as before.
ALTER TABLE pos_nonces ADD COLUMN use_id uuid;
