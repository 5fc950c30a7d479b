-- A payment row is written before its ledger transfer: inserting it first claims the
-- store's order id (UNIQUE (store_id, order_id)) before any money moves, so a second
-- till paying the same order is declined with nothing to undo. The transfer it names
-- follows in the same transaction; the reference is checked at commit.
ALTER TABLE payments ALTER CONSTRAINT payments_transfer_id_fkey DEFERRABLE INITIALLY DEFERRED;
