-- The eligibility hand-off: every change of an association's eligibility, in commit
-- order (the single writer commits in `seq` order), and each key's period of
-- eligibility, for the export of a date.
CREATE TABLE eligibility_changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
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
    effective_from  INTEGER NOT NULL,
    effective_to    INTEGER,
    expires_at      INTEGER,
    PRIMARY KEY (claim_id, key)
) WITHOUT ROWID;

-- What an API token may do: NULL for everything its user's role allows, or one scope
-- such as `eligibility:read` (the feed, the export and the lookup, nothing else).
ALTER TABLE api_tokens ADD COLUMN scope TEXT;
