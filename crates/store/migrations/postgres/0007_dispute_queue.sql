-- Support's disputes queue: the due time of a claim's latest dispute while it is open or
-- in progress (NULL otherwise), written with the claim's row. Existing rows are filled by
-- the migration code (the dispute lives in the state's JSON).
ALTER TABLE claims ADD COLUMN dispute_due BIGINT;
CREATE INDEX claims_dispute_queue ON claims(dispute_due, id) WHERE dispute_due IS NOT NULL;
