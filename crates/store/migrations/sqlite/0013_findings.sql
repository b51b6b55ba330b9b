-- Pre-flight findings of each proof-of-execution document, written by the job that reads
-- it (queued with the document's record).
CREATE TABLE poe_findings (
    poe_id    TEXT PRIMARY KEY,
    claim_id  TEXT NOT NULL,
    findings  TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX poe_findings_claim ON poe_findings(claim_id);
