-- The reviewers' daily digest: who turned it off, and the days already sent (the process
-- that records a day sends it, so each day's digest goes out once however many
-- processes run).
CREATE TABLE digest_opt_outs (
    user_id  TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE
);
CREATE TABLE digest_days (
    day      TEXT PRIMARY KEY,
    sent_at  BIGINT NOT NULL
);
