-- The eligibility hand-off: every change of an association's eligibility, and each
-- key's period of eligibility, for the export of a date.
--
-- `seq` must follow commit order across processes, which a sequence does not (a
-- transaction can take 5, another 6 and commit first). Each command takes its numbers
-- from the one row of `eligibility_sequence` as its last statement: the row stays
-- locked until the commit, so the next writer numbers after it, and a reader that sees
-- `seq` N committed has seen every change below N.
CREATE TABLE eligibility_sequence (last BIGINT NOT NULL);
INSERT INTO eligibility_sequence VALUES (0);

CREATE TABLE eligibility_changes (
    seq       BIGINT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    claim_id  TEXT NOT NULL,
    change    TEXT NOT NULL
);
CREATE INDEX eligibility_changes_org ON eligibility_changes(org_id, seq);

CREATE TABLE eligibility_periods (
    claim_id        TEXT NOT NULL,
    key             TEXT NOT NULL,
    key_json        TEXT NOT NULL,
    org_id          TEXT NOT NULL,
    mpn_id          TEXT NOT NULL,
    effective_from  BIGINT NOT NULL,
    effective_to    BIGINT,
    expires_at      BIGINT,
    PRIMARY KEY (claim_id, key)
);

-- What an API token may do: NULL for everything its user's role allows, or one scope
-- such as `eligibility:read` (the feed, the export and the lookup, nothing else).
ALTER TABLE api_tokens ADD COLUMN scope TEXT;
